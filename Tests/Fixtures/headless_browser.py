#!/usr/bin/env python3
"""Drives headless Chromium over --remote-debugging-pipe (Python standard library only), for the page test.

Not --screenshot/--virtual-time-budget: virtual time never advances while /api/events, an endless stream, is
open. Steps run in order:
  headless_browser.py URL [--size WxH] [--wait S] [--shot FILE] [--full FILE] [--eval JS] [--click CSS] [--pdf FILE] ...
--pdf prints the page as the browser's print dialog would (Page.printToPDF: A4 paper, the page's own @page size and
margins first, backgrounds printed) and writes the PDF to FILE.
Prints each --eval result as "eval: <json>", then the console messages and exceptions."""
import base64, json, os, subprocess, sys, time, select

args = sys.argv[1:]
url = args.pop(0)
w, h = 1400, 1000
if args and args[0] == '--size':
    args.pop(0); w, h = map(int, args.pop(0).split('x'))

r_in, w_in = os.pipe()
r_out, w_out = os.pipe()
def child():
    a, b = os.dup(r_in), os.dup(w_out); os.dup2(a, 3); os.dup2(b, 4); os.set_inheritable(3, True); os.set_inheritable(4, True)
p = subprocess.Popen(['chromium', '--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars',
                      '--remote-debugging-pipe', f'--window-size={w},{h}', 'about:blank'],
                     preexec_fn=child, close_fds=False, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
os.close(r_in); os.close(w_out)
buf = b''
msgs = []
logs = []
nid = [0]
session = [None]

def send(method, params=None, sess=True):
    nid[0] += 1
    m = {'id': nid[0], 'method': method, 'params': params or {}}
    if sess and session[0]:
        m['sessionId'] = session[0]
    os.write(w_in, json.dumps(m).encode() + b'\0')
    return nid[0]

def pump(timeout):
    global buf
    r, _, _ = select.select([r_out], [], [], timeout)
    if not r:
        return
    buf += os.read(r_out, 1 << 20)
    while b'\0' in buf:
        raw, buf = buf.split(b'\0', 1)
        m = json.loads(raw)
        meth = m.get('method')
        if meth == 'Runtime.consoleAPICalled':
            logs.append(m['params']['type'] + ': ' + ' '.join(str(a.get('value', a.get('description'))) for a in m['params']['args']))
        elif meth == 'Runtime.exceptionThrown':
            d = m['params']['exceptionDetails']
            logs.append('EXCEPTION: ' + d.get('text', '') + ' ' + str(d.get('exception', {}).get('description')))
        elif meth == 'Log.entryAdded':
            e = m['params']['entry']
            logs.append(f"log.{e['level']}: {e['text']} {e.get('url', '')}")
        msgs.append(m)

def call(method, params=None, sess=True):
    i = send(method, params, sess)
    end = time.time() + 30
    while time.time() < end:
        for m in msgs:
            if m.get('id') == i:
                msgs.remove(m)
                if 'error' in m:
                    raise RuntimeError(str(m['error']))
                return m['result']
        pump(0.5)
    raise TimeoutError(method)

def wait(s):
    end = time.time() + s
    while time.time() < end:
        pump(max(0, end - time.time()))

target = call('Target.createTarget', {'url': 'about:blank'}, False)['targetId']
session[0] = call('Target.attachToTarget', {'targetId': target, 'flatten': True}, False)['sessionId']
for m in ('Runtime.enable', 'Log.enable', 'Page.enable'):
    call(m)
call('Emulation.setDeviceMetricsOverride', {'width': w, 'height': h, 'deviceScaleFactor': 1, 'mobile': w < 700})
call('Page.navigate', {'url': url})
while args:
    a = args.pop(0)
    if a == '--wait':
        wait(float(args.pop(0)))
    elif a in ('--shot', '--full'):
        params = {'format': 'png'}
        if a == '--full':
            m = call('Page.getLayoutMetrics')['cssContentSize']
            params.update(captureBeyondViewport=True, clip={'x': 0, 'y': 0, 'width': w, 'height': m['height'], 'scale': 1})
        data = call('Page.captureScreenshot', params)['data']
        open(args.pop(0), 'wb').write(base64.b64decode(data))
    elif a == '--eval':
        r = call('Runtime.evaluate', {'expression': args.pop(0), 'returnByValue': True, 'awaitPromise': True})
        print('eval:', json.dumps(r.get('result', {}).get('value', r), ensure_ascii=False))
    elif a == '--pdf':
        data = call('Page.printToPDF', {'paperWidth': 8.27, 'paperHeight': 11.69, 'preferCSSPageSize': True,
                                        'printBackground': True})['data']
        open(args.pop(0), 'wb').write(base64.b64decode(data))
    elif a == '--click':
        sel = args.pop(0)
        call('Runtime.evaluate', {'expression': f'document.querySelector({json.dumps(sel)}).click()'})
wait(0.2)
print('\n'.join(logs) if logs else '(no console output)')
try:
    call('Browser.close', sess=False)
except Exception:
    pass
p.wait(10)
