/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz.h -- what the fuzz targets in tests/fuzz share: the libFuzzer entry
 * point's prototype and an invariant check that stops the run loudly (so
 * libFuzzer keeps the input) when a normaliser breaks its own contract.  The
 * targets are built with clang by `make fuzz`, and replayed without libFuzzer
 * by replay_main.c in `make check`.
 */
#ifndef OMB_FUZZ_H
#define OMB_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* abort() rather than assert(): the check must hold in every build, and
 * libFuzzer treats the SIGABRT as a crash and saves the input. */
#define FUZZ_CHECK(cond)                                                                                               \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond);                              \
            abort();                                                                                                   \
        }                                                                                                              \
    } while (0)

#endif
