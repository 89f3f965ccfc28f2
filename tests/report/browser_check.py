#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""browser_check.py -- opens a report in headless Chromium and checks the
rendered page, not the HTML source, through the DevTools protocol over
--remote-debugging-pipe (no port is opened): the headline figures, every
annex row and every chart are present and visible (charts with a non-zero
size by getBoundingClientRect), the browser logged no error and requested
nothing but the file itself; then saves a screenshot of the first page
(PNG) and a PDF print.  Standard library only.  Prints TAP lines numbered
from FIRST+1 and writes the last number to $CHECK_BROWSER_COUNT.
Usage: browser_check.py CHROMIUM REPORT.html SCREENSHOT.png PRINT.pdf FIRST EXPECT_ROWS
"""
import base64, json, os, pathlib, shutil, subprocess, sys, tempfile, time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tap import Tap  # noqa: E402  (tests/tap.py)

chromium, report, png, pdf, n, expect_rows = sys.argv[1:5] + [int(sys.argv[5]), int(sys.argv[6])]
tap = Tap(n, "CHECK_BROWSER_COUNT", detail_lines=15)
ok, finish = tap.ok, tap.finish


profile = tempfile.mkdtemp(prefix="ombuds-chromium-")
# fds 3 and 4 in the child: Chromium reads commands from 3, writes replies to 4
to_child_r, to_child_w = os.pipe()
from_child_r, from_child_w = os.pipe()
args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
        "--user-data-dir=" + profile, "--no-first-run", "--no-default-browser-check", "--disable-extensions",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--mute-audio", "--hide-scrollbars", "--window-size=1100,1500", "about:blank"]
# the shell puts the pipe ends on fds 3 and 4, where Chromium expects them
shell = ["/bin/sh", "-c", 'exec "$0" "$@" 3<&%d 4>&%d' % (to_child_r, from_child_w)]
proc = subprocess.Popen(shell + args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL, pass_fds=(to_child_r, from_child_w))
os.close(to_child_r)
os.close(from_child_w)
wfd, rfd = to_child_w, from_child_r
buf = b""
msg_id = 0
pending_events = []


def send(method, params=None, session=None):
    global msg_id
    msg_id += 1
    m = {"id": msg_id, "method": method, "params": params or {}}
    if session:
        m["sessionId"] = session
    os.write(wfd, json.dumps(m).encode() + b"\0")
    return msg_id


def read_message(deadline):
    global buf
    import select
    while b"\0" not in buf:
        left = deadline - time.time()
        if left <= 0:
            raise TimeoutError("no answer from Chromium")
        r, _, _ = select.select([rfd], [], [], left)
        if r:
            chunk = os.read(rfd, 1 << 20)
            if not chunk:
                raise EOFError("Chromium closed the pipe")
            buf += chunk
    raw, buf = buf.split(b"\0", 1)
    return json.loads(raw)


def call(method, params=None, session=None, timeout=30):
    i = send(method, params, session)
    deadline = time.time() + timeout
    while True:
        m = read_message(deadline)
        if m.get("id") == i:
            if "error" in m:
                raise RuntimeError(f"{method}: {m['error']}")
            return m.get("result", {})
        pending_events.append(m)


def wait_event(name, timeout=30):
    deadline = time.time() + timeout
    for k, m in enumerate(pending_events):
        if m.get("method") == name:
            del pending_events[k]
            return m
    while True:
        m = read_message(deadline)
        if m.get("method") == name:
            return m
        pending_events.append(m)


try:
    target = call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Log", "Network"):
        call(domain + ".enable", session=session)
    call("Emulation.setDeviceMetricsOverride", {"width": 1100, "height": 1500, "deviceScaleFactor": 1,
                                                "mobile": False}, session=session)
    url = pathlib.Path(report).resolve().as_uri()
    pending_events.clear()
    call("Page.navigate", {"url": url}, session=session)
    wait_event("Page.loadEventFired")
    time.sleep(0.3)  # let late console messages arrive
    check = r"""
(() => {
  const vis = el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const figs = [...document.querySelectorAll('#headline [data-figure]')].map(e =>
    ({figure: e.dataset.figure, period: e.dataset.period, text: e.innerText.trim(), visible: vis(e)}));
  const rows = [...document.querySelectorAll('#annex tbody tr')].map(e =>
    ({ref: e.dataset.ref, text: e.innerText, visible: vis(e), h: e.getBoundingClientRect().height}));
  const charts = [...document.querySelectorAll('svg.chart')].map(e => { const r = e.getBoundingClientRect();
    return {id: e.id, w: r.width, h: r.height, visible: vis(e), title: (e.querySelector('title') || {}).textContent || '',
            marks: e.querySelectorAll('rect,polyline').length}; });
  return JSON.stringify({figs, rows, charts, h1: document.querySelectorAll('h1').length,
                         lang: document.documentElement.lang, title: document.title,
                         scripts: document.scripts.length});
})()"""
    res = call("Runtime.evaluate", {"expression": check, "returnByValue": True}, session=session)
    page = json.loads(res["result"]["value"])

    want_figs = ["decisions", "upheld", "uphold_rate", "paying", "redress", "improving", "late"]
    cur = {f["figure"]: f for f in page["figs"] if f["period"] == "current"}
    missing = [k for k in want_figs if k not in cur or not cur[k]["visible"] or not cur[k]["text"]]
    ok(not missing, "every headline figure is rendered and visible", f"missing or hidden: {missing}\n{page['figs']}")
    rows = page["rows"]
    ok(len(rows) == expect_rows, f"the annex shows {expect_rows} rows", f"got {len(rows)}")
    hidden = [r["ref"] for r in rows if not r["visible"] or r["ref"] not in r["text"]]
    ok(rows and not hidden, "each annex row is visible and shows its reference", f"hidden: {hidden}")
    ok(len(page["charts"]) >= 2, "the charts are rendered", f"{page['charts']}")
    bad = [c for c in page["charts"] if not (c["visible"] and c["w"] > 0 and c["h"] > 0 and c["title"] and c["marks"] > 0)]
    ok(page["charts"] and not bad, "every chart has a non-zero size, a title and marks", f"{bad}")
    ok(page["h1"] == 1 and page["lang"].startswith("en") and page["scripts"] == 0,
       "one h1, a lang attribute, no script", f"h1={page['h1']} lang={page['lang']} scripts={page['scripts']}")

    # screenshot of the first page and a PDF print
    shot = call("Page.captureScreenshot", {"format": "png", "clip": {"x": 0, "y": 0, "width": 1100, "height": 1500,
                                                                       "scale": 1}}, session=session)
    open(png, "wb").write(base64.b64decode(shot["data"]))
    printed = call("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": True,
                                       "printBackground": True}, session=session, timeout=60)
    data = base64.b64decode(printed["data"])
    open(pdf, "wb").write(data)
    ok(open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n" and data[:5] == b"%PDF-",
       f"screenshot {os.path.basename(png)} and print {os.path.basename(pdf)} saved",
       f"png {os.path.getsize(png)} bytes, pdf {len(data)} bytes")

    # everything the browser said and fetched while loading
    time.sleep(0.2)
    try:
        call("Runtime.evaluate", {"expression": "1"}, session=session, timeout=5)
    except Exception:
        pass
    errors, requests = [], []
    for m in pending_events:
        meth, p = m.get("method"), m.get("params", {})
        if meth == "Log.entryAdded" and p["entry"].get("level") == "error":
            errors.append(p["entry"].get("text"))
        elif meth == "Runtime.exceptionThrown":
            errors.append(p["exceptionDetails"].get("text"))
        elif meth == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            errors.append(str(p.get("args")))
        elif meth == "Network.requestWillBeSent":
            requests.append(p["request"]["url"])
        elif meth == "Network.loadingFailed":
            errors.append("loading failed: " + p.get("errorText", ""))
    ok(not errors, "the browser logged no error", "\n".join(map(str, errors)))
    others = [u for u in requests if u != url and not u.startswith("data:")]
    ok(not others, f"no request but the report itself ({len(requests)} request(s) in all)", "\n".join(others))
    try:
        call("Browser.close", timeout=5)
    except Exception:
        pass
except Exception as e:  # a browser that does not answer fails the test, with its stderr
    ok(False, "Chromium answers over the DevTools pipe", repr(e))
finally:
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    shutil.rmtree(profile, ignore_errors=True)
finish()
