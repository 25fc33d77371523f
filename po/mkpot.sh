#!/bin/sh
# po/mkpot.sh OUT.pot: every message of the sources, for the translators.
# The keywords are the functions that take an English sentence and translate
# it themselves (photovoice/i18n.h): _(), N_(), C_() (with a context),
# ngettext, the library's pv_fail and pv_err_prefix, the command line's
# pv_cli_error, pv_cli_usage_error and opts.c's REFUSE, and the table of the log's
# details (src/store/log_words.c: LOG_, LOGN_, C formats both). `make pot`
# and tests/e2e/t44 run it.
set -eu
cd "$(dirname "$0")/.."
out=$1
# shellcheck disable=SC2046
xgettext --language=C --from-code=UTF-8 --add-comments=TRANSLATORS: \
	--package-name=photovoice --package-version="${PV_VERSION:-0.1.0}" \
	--msgid-bugs-address='photovoice maintainers' --sort-by-file --no-wrap \
	--keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=ngettext:1,2 \
	--keyword=LOG_ --flag=LOG_:1:c-format \
	--keyword=LOGN_:1,2 --flag=LOGN_:1:c-format --flag=LOGN_:2:c-format \
	--keyword=pv_fail:3 --flag=pv_fail:3:c-format \
	--keyword=pv_err_prefix:2 --flag=pv_err_prefix:2:c-format \
	--keyword=pv_cli_error:1 --flag=pv_cli_error:1:c-format \
	--keyword=pv_cli_usage_error:2 --flag=pv_cli_usage_error:2:c-format \
	--keyword=REFUSE:2 --flag=REFUSE:2:c-format \
	-o "$out" $(find src include -name '*.[ch]' | LC_ALL=C sort)
