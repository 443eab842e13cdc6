#!/bin/bash
# The architecture's one rule, checked: layers point one way (DESIGN.md §3).
# A file may include from and call into its own layer and the layers below
# it, never a layer above; and no three or more files call each other round
# in a circle (a pair of files calling each other is tolerated).
#
#   scripts/layers.sh [--includes | --calls] [--build DIR] [--list | --files] [ROOT]
#
#   --includes   only the include check: reads the sources, needs no build
#   --calls      only the call check: nm over DIR/obj/**/*.o (DIR: --build,
#                default build, relative to ROOT); fails when there are none
#                (default: both checks; calls skipped, and said so, when
#                nothing is built yet)
#   --list       print the violations but exit 0 (for work in progress)
#   --files      print every file with its layer and exit
#   ROOT         the tree to check (default: the one this script is in)
#
# Exit 0 with a one-line summary per check when clean; 1 with one line per
# offending edge ("file -> file: why") when not; 2 for bad usage or a file
# the table below does not place.
set -u

# ---- the layers, top to bottom --------------------------------------------
ORDER="tools api model engine/rdp capture/encode helpers"

# ---- which files are in each layer ------------------------------------------
# LAYER  GLOB...  -- why. Globs are relative to ROOT; * and ? stay inside one
# folder, ** crosses folders. Every .c and .h under include/, src/ and tools/
# must match exactly one line (a new file fails until it is placed here).
LAYERS=$(
	cat <<'TABLE'
tools          tools/*.[ch] tools/rdpview/*.[ch]
               -- the programs (rdpshare, rdpview): users of the library
api            include/rdpshare.h
               -- the public API (see PUBLIC_HEADER)
model          src/session.c src/backend.[ch] src/invitation.c src/attendee.c src/appfilter.c src/channel.c
               src/properties.[ch] src/events.[ch] src/reverse.c src/instance_lock.c
               src/errors.c src/session_internal.h src/session_host.c src/session_post.c
               src/log_level.c src/viewer.c src/viewer_dispatch.c src/viewer_lists.c
               src/viewer_net.c src/viewer_internal.h
               -- the object model behind the public API and the headers only it uses;
                  session_host.c fills rdp/host.h, the rdp side's one window onto it;
                  session_post.c queues the events other threads raise
model          src/throttle.[ch]
               -- failed-logon throttling: admission policy of invitations, kept by the
                  session and used only by invitation.c (pure, time passed in)
engine/rdp     src/engine.[ch]
               -- the capture engine: pacing, damage, the filter mask, on its own thread
engine/rdp     src/rdp/**
               -- the FreeRDP edge: listener, peers, logon, pictures, channels, TLS;
                  rdp/host.h is its one window onto the session, filled from above
capture/encode src/capture/** src/encode/**
               -- capture back-ends (no protocol, no session) and the codecs and frames
capture/encode src/filter_mask.[ch]
               -- pure: which pixels the application filter shows, from the back-end window
                  list and a frame (no X, no session)
capture/encode src/grab_pace.[ch]
               -- pure: when the engine grabs a frame (time credit, settling), times passed in
capture/encode src/mp_filter.[ch]
               -- pure data: the filter as multiparty viewers may be told it, built from the
                  back-end window list (no protocol types)
helpers        src/util/**
               -- connstr, utf16, keyhash, hostport, clock, thread (a thread that takes no
                  signals), ...: no dependencies, used at every layer
TABLE
)
# The public header declares the library's result codes (RDPSHARE_E_*, the
# one error style of every layer) and opaque types, so any file may include
# it. The functions it declares are defined in the object model, so a lower
# layer that calls one is caught by the call check as a call into the model.
PUBLIC_HEADER="include/rdpshare.h"
# Where #include "x" and <x> are looked for after the including file's own
# folder (the Makefile's -I paths).
INCLUDE_PATH="include src tools tools/rdpview"

usage() {
	sed -n '2,/^set -u/{/^#/p}' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

mode=both
list=0
files=0
build=build
root=""
while [ $# -gt 0 ]; do
	case "$1" in
	--includes) mode=includes ;;
	--calls) mode=calls ;;
	--list) list=1 ;;
	--files) files=1 ;;
	--build)
		[ $# -ge 2 ] || usage
		build=$2
		shift
		;;
	--build=*) build=${1#--build=} ;;
	-h | --help) usage ;;
	-*) usage ;;
	*)
		[ -z "$root" ] || usage
		root=$1
		;;
	esac
	shift
done
[ -n "$root" ] || root="$(cd "$(dirname "$0")/.." && pwd)"
[ -d "$root" ] || {
	echo "layers: no such tree: $root" >&2
	exit 2
}
case "$build" in /*) ;; *) build="$root/$build" ;; esac

export LAYERS ORDER PUBLIC_HEADER INCLUDE_PATH
exec python3 - "$root" "$mode" "$list" "$files" "$build" <<'PY'
import glob, os, re, subprocess, sys

root, mode, list_only, files_only, build = sys.argv[1:6]
list_only, files_only = list_only == "1", files_only == "1"
order = os.environ["ORDER"].split()
rank = {name: len(order) - i for i, name in enumerate(order)}  # higher = higher layer
public_header = os.environ["PUBLIC_HEADER"]
include_path = os.environ["INCLUDE_PATH"].split()


def die(msg):
    print("layers: " + msg, file=sys.stderr)
    sys.exit(2)


def glob_re(pattern):
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^/]*"
            i += 1
        elif pattern[i] == "?":
            out += "[^/]"
            i += 1
        elif pattern[i] == "[":
            j = pattern.index("]", i)
            out += pattern[i : j + 1]
            i = j + 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return re.compile(out + r"\Z")


# The table: an entry runs from a line that starts in column 0 to the next
# such line; "LAYER GLOB... -- why".
rules = []
for line in os.environ["LAYERS"].splitlines():
    if line.strip() and not line[0].isspace():
        rules.append(line)
    elif line.strip():
        if not rules:
            die("table: an indented line before the first entry")
        rules[-1] += " " + line.strip()
parsed = []
for entry in rules:
    head, _, why = entry.partition("--")
    words = head.split()
    if words[0] not in rank:
        die("table: unknown layer %r (ORDER: %s)" % (words[0], " ".join(order)))
    if len(words) < 2:
        die("table: %s: no files" % words[0])
    parsed.append((words[0], words[1:], " ".join(why.split())))
compiled = [(layer, [(g, glob_re(g)) for g in globs], why) for layer, globs, why in parsed]


def layer_of(path):
    hits = [(layer, g) for layer, globs, _ in compiled for g, rx in globs if rx.match(path)]
    return hits


sources = []
for top in ("include", "src", "tools"):
    for dirpath, _, names in os.walk(os.path.join(root, top)):
        for n in names:
            if n.endswith((".c", ".h")):
                sources.append(os.path.relpath(os.path.join(dirpath, n), root))
sources.sort()

layer = {}
placement = []
for f in sources:
    hits = layer_of(f)
    if len(hits) != 1:
        placement.append(
            "%s: %s" % (f, "in no layer: add it to the table in scripts/layers.sh" if not hits
                        else "in more than one table line: " + ", ".join("%s (%s)" % h for h in hits)))
    else:
        layer[f] = hits[0][0]

if files_only:
    for f in sources:
        print("%-16s %s" % (layer.get(f, "?"), f))
    sys.exit(2 if placement else 0)
if placement:
    for p in placement:
        print("layers: " + p, file=sys.stderr)
    if not list_only:
        sys.exit(2)


def stem(path):
    return os.path.splitext(path)[0]


def below(a, b):
    """a's layer is below b's (an edge a -> b climbs)."""
    return a in layer and b in layer and rank[layer[a]] < rank[layer[b]]


violations = []  # one line (or block) per offending edge
summaries = []

# ---- includes ----------------------------------------------------------------
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def resolve(src, kind, name):
    dirs = ([os.path.dirname(src)] if kind == '"' else []) + include_path
    for d in dirs:
        p = os.path.normpath(os.path.join(d, name))
        if os.path.isfile(os.path.join(root, p)):
            return p
    return None


def check_includes():
    edges = 0
    for f in sources:
        try:
            text = open(os.path.join(root, f), encoding="utf-8", errors="replace").read()
        except OSError:
            continue  # removed while we looked
        for line in text.splitlines():
            m = INCLUDE.match(line)
            if not m:
                continue
            target = resolve(f, m.group(1), m.group(2))
            if target is None:
                # *-client.h: Wayland protocol glue that wayland-scanner
                # generates into the build from protocols/*.xml (no layer)
                if m.group(1) == '"' and not m.group(2).endswith("-client.h"):
                    print("layers: note: %s: #include \"%s\" not found" % (f, m.group(2)),
                          file=sys.stderr)
                continue
            if target == f or target not in layer or f not in layer:
                continue
            edges += 1
            if target == public_header or stem(target) == stem(f):
                continue
            if below(f, target):
                violations.append("%s -> %s: include: %s includes from %s, a higher layer"
                                  % (f, target, layer[f], layer[target]))
    return "includes OK: %d files in %d layers, %d include edges, none climbs" % (
        len(layer), len(order), edges)


# ---- calls -------------------------------------------------------------------
def tarjan(nodes, succ):
    index, low, on, stack, sccs, counter = {}, {}, set(), [], [], [0]
    for start in nodes:
        if start in index:
            continue
        work = [(start, iter(sorted(succ.get(start, ()))))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on.add(start)
        while work:
            v, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(succ.get(w, ())))))
                    advanced = True
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                scc = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    scc.append(w)
                    if w == v:
                        break
                sccs.append(sorted(scc))
    return sccs


def check_calls():
    objdir = os.path.join(build, "obj")
    objs = sorted(glob.glob(os.path.join(objdir, "**", "*.o"), recursive=True))
    # an object stands for the source it was built from (view/ holds rdpview's
    # copies); objects whose source is gone are stale and skipped
    unit_src, stale = {}, []
    for o in objs:
        rel = os.path.relpath(o, objdir)
        unit = "main"
        if rel.startswith("view" + os.sep):
            unit, rel = "view", rel[len("view") + 1 :]
        src = stem(rel) + ".c"
        if src in layer:
            unit_src[o] = (unit, src)
            if os.path.getmtime(o) < os.path.getmtime(os.path.join(root, src)):
                stale.append(src)
    if not unit_src:
        if mode == "calls":
            violations.append("%s: calls: no object files of this tree (build first)" % objdir)
            return None
        return "calls skipped: nothing built in %s" % objdir
    if stale:
        print("layers: note: %d objects in %s are older than their sources (%s%s): rebuild "
              "for an exact answer" % (len(stale), objdir, " ".join(sorted(set(stale))[:3]),
                                       " ..." if len(set(stale)) > 3 else ""), file=sys.stderr)
    out = subprocess.run(["nm", "-A", "-P"] + sorted(unit_src), capture_output=True,
                         text=True)
    if out.returncode != 0:
        die("nm failed: " + out.stderr.strip())
    defined, undefined = {}, []
    for line in out.stdout.splitlines():
        path, _, rest = line.partition(": ")
        parts = rest.split()
        if len(parts) < 2 or path not in unit_src:
            continue
        sym, kind = parts[0], parts[1]
        unit, src = unit_src[path]
        if kind in ("T", "W"):
            defined.setdefault(sym, set()).add((unit, src))
        elif kind == "U":
            undefined.append((unit, src, sym))
    calls = {}
    for unit, src, sym in undefined:
        definers = defined.get(sym)
        if not definers:
            continue  # a system library's
        cands = {s for u, s in definers if u == unit} or {s for _, s in definers}
        if len(cands) > 1:  # the same name in two programs: the one beside the caller
            near = {s for s in cands if os.path.dirname(s) == os.path.dirname(src)}
            cands = near or cands
        for target in cands:
            if target != src:
                calls.setdefault((src, target), set()).add(sym)
    for (a, b), syms in sorted(calls.items()):
        if below(a, b):
            violations.append("%s -> %s: calls %s: %s calls into %s, a higher layer"
                              % (a, b, ", ".join(sorted(syms)), layer[a], layer[b]))
    succ = {}
    for a, b in calls:
        succ.setdefault(a, set()).add(b)
    nodes = sorted({s for _, s in unit_src.values()})
    cycles = 0
    for scc in tarjan(nodes, succ):
        if len(scc) < 3:
            continue
        cycles += 1
        inside = set(scc)
        edges = ["%s -> %s (%s)" % (a, b, ", ".join(sorted(calls[(a, b)])))
                 for a in scc for b in sorted(succ.get(a, ())) if b in inside]
        violations.append("cycle: %d files call each other round: %s\n    %s"
                          % (len(scc), " ".join(scc), "\n    ".join(edges)))
    return "calls OK: %d files built, %d file-to-file call edges, none climbs, no cycle of 3+ " \
        "files" % (len(nodes), len(calls))


# each check prints its summary when it found nothing
for name, check in (("includes", check_includes), ("calls", check_calls)):
    if mode in ("both", name):
        n = len(violations)
        summary = check()
        if summary and len(violations) == n:
            summaries.append(summary)
for s in summaries:
    print("layers: " + s)
if violations:
    for v in violations:
        print(v)
    what = {"both": "", "includes": " (includes)", "calls": " (calls)"}[mode]
    print("layers: %d violation%s%s%s" % (len(violations), "" if len(violations) == 1 else "s",
                                          what, " (listed only)" if list_only else ""))
    sys.exit(0 if list_only else 1)
sys.exit(0)
PY
