#!/bin/sh
# senn-studio under Xvfb on the ResNet-18 and photos of make_resnet.py: opens them through a
# session (Explain view; saliency, integrated gradients, occlusion), presses Explain (Ctrl+E),
# exports the PDF report (Ctrl+P), saves screenshots of the screen and prints the app's peak RSS
# (xdotool and xwd: installed when missing).
#   tests/bench/resnet_gui.sh [BIN=build/dev/app] [DIR=/tmp/resnet_photo] [SIZE=1280x800] [WAIT=60]
# DIR holds resnet18.pt and photos/ (resnet_photo.sh or make_resnet.py writes them); WAIT is
# the seconds allowed for each step (loading and auto-explain, then Explain).
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=${1:-$HERE/../../build/dev/app}
mkdir -p "${2:-/tmp/resnet_photo}"
DIR=$(cd "${2:-/tmp/resnet_photo}" && pwd)
SIZE=${3:-1280x800}
WAIT=${4:-60}
if ! command -v xdotool >/dev/null || ! command -v xwd >/dev/null; then
    apt-get install -y --no-install-recommends xdotool x11-apps >/dev/null
fi
[ -f "$DIR/resnet18.pt" ] || /usr/bin/python3 "$HERE/make_resnet.py" "$DIR"
SHOTS="$DIR/shots"
rm -rf "$SHOTS" "$DIR/config" # a fresh window: no settings from an earlier run
mkdir -p "$SHOTS"
cat >"$DIR/resnet.sennsession" <<EOF
{"format": "senn-session", "version": 1, "dataset": "$DIR/photos", "target": "",
 "model": "$DIR/resnet18.pt", "example_row": 0,
 "methods": ["saliency", "integrated-gradients", "occlusion"], "view": "explain", "settings": {}}
EOF

cat >"$DIR/gui_steps.sh" <<'EOF'
#!/bin/sh
# Runs inside xvfb-run: the app in the background, keys and screenshots from here.
BIN=$1 DIR=$2 WAIT=$3
shot() { xwd -root -silent >"$DIR/shots/$1.xwd"; }
XDG_CONFIG_HOME="$DIR/config" /usr/bin/time -v -o "$DIR/gui.time" "$BIN/senn-studio" "$DIR/resnet.sennsession" \
    >"$DIR/gui.log" 2>&1 &
timer=$!
sleep "$WAIT"
shot explain-auto
win=$(xdotool search --onlyvisible --name "SENN Studio" | head -n 1)
xdotool windowactivate --sync "$win" 2>/dev/null || xdotool windowfocus "$win"
xdotool key --window "$win" ctrl+e
sleep "$WAIT"
shot explain-occlusion
# The maps below the first row: scroll the comparison panel.
xdotool mousemove --window "$win" 700 500 click --repeat 10 5
sleep 2
shot explain-scrolled
# File > Export report (Ctrl+P) into DIR/report.pdf.
rm -f "$DIR/report.pdf"
xdotool key --window "$win" ctrl+p
sleep 3
xdotool key ctrl+a
xdotool type --delay 20 "$DIR/report.pdf"
xdotool key Return
for i in $(seq "$WAIT"); do [ -s "$DIR/report.pdf" ] && break; sleep 1; done
sleep 2
for v in 1 2; do
    xdotool key --window "$win" "ctrl+$v"
    sleep 2
    shot "view-$v"
done
xdotool key --window "$win" ctrl+3
sleep 1
xdotool key --window "$win" ctrl+q
# A question on quitting is answered with its default button; the app is ended after 30 s.
for i in $(seq 30); do
    kill -0 "$timer" 2>/dev/null || break
    [ "$i" = 5 ] && xdotool key Return
    sleep 1
done
app=$(pgrep -P "$timer" || true)
[ -n "$app" ] && kill "$app"
wait
EOF
xvfb-run -a -s "-screen 0 ${SIZE}x24" sh "$DIR/gui_steps.sh" "$BIN" "$DIR" "$WAIT" ||
    echo "the app ended with status $? (log: $DIR/gui.log)"
# xwd's ZPixmap (blue, green, red[, pad] per pixel, least significant byte first) to PNG.
/usr/bin/python3 - "$SHOTS"/*.xwd <<'PYEOF'
import struct, sys
import numpy as np
from PIL import Image
for path in sys.argv[1:]:
    b = open(path, "rb").read()
    h = struct.unpack(">25I", b[:100])
    size, w, ht, order, bpp, stride, ncolors = h[0], h[4], h[5], h[7], h[11], h[12], h[19]
    step = bpp // 8
    assert order == 0 and step in (3, 4), f"{path}: expected 24- or 32-bit pixels, least significant byte first"
    px = np.frombuffer(b, np.uint8, ht * stride, size + 12 * ncolors).reshape(ht, stride)
    px = px[:, :w * step].reshape(ht, w, step)
    Image.fromarray(px[:, :, 2::-1].copy()).save(path[:-4] + ".png")
PYEOF
rm -f "$SHOTS"/*.xwd
echo "screenshots in $SHOTS: $(ls "$SHOTS" | tr '\n' ' ')"
grep -E "Maximum resident set size|Elapsed" "$DIR/gui.time"
