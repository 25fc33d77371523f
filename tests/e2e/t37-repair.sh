#!/bin/sh
# audit --repair never destroys an entry's photo: the crash journal an
# interrupted ingest needs is kept.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/catalogue.inc"

new_archive
for n in 1 2 3 4; do add_entry "foto-$n" "Titel: Foto $n"; done
# ingest killed right after its first batch committed: the originals are
# still in drop/, the journal in tmp/ says they are in the catalogue
PV_TEST_CRASH=committed:1 "$PV" ingest --jobs 1 >/dev/null 2>&1
check "the interrupted ingest left its journal" test -f "$A/tmp/ingest.journal"
run "$TMP/out" "$TMP/err" pv audit --repair --json
check "audit --repair keeps the journal an interrupted ingest needs" test -f "$A/tmp/ingest.journal"
check_eq "and lists it as not repaired" "leftover:False" \
	"$(json_get "$TMP/out" '",".join("%s:%s" % (p["kind"], p["repaired"]) for p in d["problems"] if p["path"] == "tmp/ingest.journal")')"
check_grep "saying what to do" "photovoice ingest" "$TMP/out"
run "$TMP/out" "$TMP/err" pv ingest --json
check_eq "the next ingest finishes that run's work: recovered, not duplicates" "4 0" \
	"$(json_get "$TMP/out" '"%d %d" % (d["ingested"] + d["recovered_count"], d["duplicates_count"])')"
check_eq "with the caption files gone, not set aside" "0" "$(ls -A "$A/drop/.quarantine" | wc -l)"
check "audit is clean" pv audit

done_testing
