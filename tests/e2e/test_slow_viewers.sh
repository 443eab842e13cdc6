#!/bin/bash
# Slow and vanished viewers, CI-sized (15 s): a SIGSTOPped viewer, one on a
# 64 KB/s link and one killed with -9 mid-stream; the killed one is removed
# with reason "client", the others stay, the sharer's memory stays bounded.
# The frame-rate comparison runs in `make soak` (tests/soak/slow_viewers.sh).
# Under ASan the quarantine of freed memory would count as growth: keep it small.
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:quarantine_size_mb=16"
CHECK=1 SECS=15 exec bash "$(dirname "$0")/../soak/slow_viewers.sh"
