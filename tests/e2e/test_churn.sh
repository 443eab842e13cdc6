#!/bin/bash
# Churn, CI-sized: 40 join/leave cycles, half of them abrupt (kill -9); no
# attendee, file descriptor or (under ASan) leak left. The long run is
# `make soak` (tests/soak/churn.sh, 1000 cycles).
E2E_NAME=test_churn CYCLES=40 exec bash "$(dirname "$0")/../soak/churn.sh"
