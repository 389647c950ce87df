# Batch conversion, run by `make convert SRC=DIR OUT=DIR` (see the Makefile): one
# pattern rule per model file, so make runs them in parallel (-j), reruns only those
# whose source (its FILE.convert.json sidecar, or a file listed for it in OUT/inputs.mk)
# is newer than the output, and, with -k (which the Makefile passes), goes on after a
# failure. Each conversion leaves its result (as --json prints it) in
# OUT/REL.onnx.result.json for `convert-cli report`.
# File names must not contain spaces (make cannot express them in targets). The Makefile
# runs this with -r: without make's built-in rules it does not look for ways to remake
# every model file (an RCS file, a .c source, ...): a quarter of its own CPU time.

MODELS := $(shell $(CLI) list-models $(SRC))
TARGETS := $(MODELS:%=$(OUT)/%.onnx)
FOLDERS := $(sort $(dir $(TARGETS)))

all: $(TARGETS)

# The files each converted model read besides itself and its sidecar (a layer spec's
# weights, a dump's --config or --fmap, --verify-data rows), as `convert-cli report`
# wrote them at the end of the last run: a change to one converts that model again, and
# a model that failed is tried again.
-include $(OUT)/inputs.mk

.SECONDEXPANSION:
# One simple command per file (no shell): convert-cli writes the result file itself.
$(OUT)/%.onnx: $(SRC)/% $$(wildcard $(SRC)/%.convert.json) | folders
	@$(CLI) $< -o $@ --result-file $@.result.json $(if $(wildcard $<.convert.json),--options-file $<.convert.json)

# Every output folder in one mkdir before the first conversion: one process, not one job
# per folder. (A named phony target, not a `%/` pattern rule: make deletes the
# intermediate files of a pattern chain at the end, and tried to unlink each folder.)
folders:
	@$(if $(FOLDERS),mkdir -p $(FOLDERS),true)

.PHONY: all folders
