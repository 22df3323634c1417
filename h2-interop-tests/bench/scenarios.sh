# The h2load command of each server scenario, shared by run.sh and profile.sh (sourced, not run).
# See docs/BENCHMARKS.md ("Scenarios") for what each one measures.

# Every h2load scenario, by its CSV name.
H2LOAD_SCENARIOS=(s1_get_c1_m100 s2_get_c16_m16 s3_1MiB_c1_m10 s4_echo16k_c4_m16
  s6_h1_get_c16 s7_echo16k_c1_m100 s8_latency_c1_m10)

# The small response: the native servers and the Java peers answer / with 12 bytes; h2mux's /
# is its demo's index page, so h2mux is asked for /bytes/12 (12 bytes from memory) instead.
small_path() { # $1 peer
  if [ "$1" = h2mux ]; then echo /bytes/12; else echo /; fi
}

# The full run's request count of scenario $1.
scenario_count() {
  case "$1" in
    s1_get_c1_m100|s2_get_c16_m16|s6_h1_get_c16) echo 200000 ;;
    s3_1MiB_c1_m10) echo 2000 ;;
    s4_echo16k_c4_m16|s7_echo16k_c1_m100) echo 50000 ;;
    s8_latency_c1_m10) echo 100000 ;;
    *) return 1 ;;
  esac
}

# Sets the array H2LOAD_ARGS to h2load's arguments for scenario $1 against peer $2 at base URL
# $3 (http://127.0.0.1:PORT) with $4 requests; $5 is the 16 KiB request body of the echoes.
h2load_args() {
  local small
  small=$(small_path "$2")
  case "$1" in
    s1_get_c1_m100) H2LOAD_ARGS=(-n "$4" -c 1 -m 100 "$3$small") ;;
    s2_get_c16_m16) H2LOAD_ARGS=(-n "$4" -c 16 -m 16 "$3$small") ;;
    s3_1MiB_c1_m10) H2LOAD_ARGS=(-n "$4" -c 1 -m 10 "$3/bytes/1048576") ;;
    s4_echo16k_c4_m16) H2LOAD_ARGS=(-d "$5" -n "$4" -c 4 -m 16 "$3/echo") ;;
    s6_h1_get_c16) H2LOAD_ARGS=(--h1 -n "$4" -c 16 -m 1 "$3$small") ;;
    s7_echo16k_c1_m100) H2LOAD_ARGS=(-d "$5" -n "$4" -c 1 -m 100 "$3/echo") ;;
    s8_latency_c1_m10) H2LOAD_ARGS=(-n "$4" -c 1 -m 10 "$3$small") ;;
    *) return 1 ;;
  esac
}

# The scenario whose CSV name starts with $1_ ("s3" -> s3_1MiB_c1_m10), or $1 itself if it
# is one; fails for anything else.
scenario_named() {
  local s
  for s in "${H2LOAD_SCENARIOS[@]}"; do
    if [ "$1" = "$s" ] || [ "$1" = "${s%%_*}" ]; then echo "$s"; return 0; fi
  done
  return 1
}
