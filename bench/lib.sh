# Shared by the benchmark scripts (sourced, not run): they keep each run's result lines in $WORK/NAME.KEY files
# ("result k=v k=v ..."), and the server under test in $SERVER_PID.

# stop_server: stops $SERVER_PID and waits for it.
stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}

# stats: numbers on stdin, one a line -> "median lowest highest" ("- - -" for none). The median of an even count
# is the lower middle value: a figure some run really measured.
stats() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)], v[1], v[NR]; else print "- - -" }'
}

# median NAME KEY FIELD: the median of FIELD=value over the runs (or "-").
median() {
  local f=$WORK/$1.$2
  [ -s "$f" ] || { echo -; return; }
  grep -o " $3=[-0-9.]*" "$f" | cut -d= -f2 | stats | cut -d' ' -f1
}

# paired_ratios NAME REFERENCE KEY FIELD: "median lowest highest" over the runs of NAME's FIELD / REFERENCE's
# FIELD, run i against run i (measured one right after the other), e.g. "1.47 1.38 1.55"; "- - -" without pairs.
paired_ratios() {
  local a=$WORK/$1.$3 b=$WORK/$2.$3
  { [ -s "$a" ] && [ -s "$b" ]; } || { echo - - -; return; }
  paste -d' ' <(grep -o " $4=[-0-9.]*" "$a" | cut -d= -f2) <(grep -o " $4=[-0-9.]*" "$b" | cut -d= -f2) |
    awk '$1 != "" && $2 + 0 > 0 { printf "%.4f\n", $1 / $2 }' | stats
}

# compare_row WIDTHS REFERENCE LABEL KEY FIELD TARGET CHECK: one table row, peerhub against REFERENCE (its median
# of FIELD in KEY), with the ratio and whether CHECK holds. WIDTHS: "label value target" column widths. CHECK is
# an awk condition on p (peerhub), ref (the reference) and r (p/ref); TARGET "-" means none.
compare_row() {
  compare_row_refs "$@"
}

# compare_row_refs WIDTHS "REF1 REF2 ..." LABEL KEY FIELD TARGET CHECK: as compare_row, with a value column for
# each reference and then a ratio column (peerhub / it) for each; CHECK's ref and r are against the first.
compare_row_refs() {
  local widths=($1) refs=($2) p values="" name
  p=$(median peerhub "$4" "$5")
  for name in "${refs[@]}"; do values+="$(median "$name" "$4" "$5") "; done
  awk -v l="$3" -v p="$p" -v values="$values" -v t="$6" -v wl="${widths[0]}" -v wv="${widths[1]}" \
    -v wt="${widths[2]}" "BEGIN {
    n = split(values, v, \" \"); ref = v[1];
    line = sprintf(\"| %-*s | %*s |\", wl, l, wv, p);
    for (i = 1; i <= n; i++) line = line sprintf(\" %*s |\", wv, v[i]);
    for (i = 1; i <= n; i++) {
      q = (p != \"-\" && v[i] != \"-\" && v[i] + 0 != 0) ? sprintf(p / v[i] < 0.095 ? \"%.3fx\" : \"%.2fx\", p / v[i]) : \"-\";
      line = line sprintf(\" %7s |\", q);
    }
    r = (p != \"-\" && ref != \"-\" && ref + 0 != 0) ? p / ref : \"\";
    ok = (t == \"-\") ? \"-\" : (p == \"-\" || p < 0) ? \"n/a\" : (($7) ? \"yes\" : \"NO\");
    printf \"%s %-*s | %-4s |\\n\", line, wt, t, ok }"
}
