# Batch conversion, run by `make convert SRC=DIR OUT=DIR` (see the Makefile): one
# pattern rule per model file, so make runs them in parallel (-j), reruns only those
# whose source (or its FILE.convert.json sidecar) is newer than the output, and, with
# -k (which the Makefile passes), goes on after a failure. Each conversion leaves its
# --json result in OUT/REL.onnx.result.json for `convert-cli report`.
# File names must not contain spaces (make cannot express them in targets).

MODELS := $(shell $(CLI) list-models $(SRC))
TARGETS := $(MODELS:%=$(OUT)/%.onnx)

all: $(TARGETS)

.SECONDEXPANSION:
$(OUT)/%.onnx: $(SRC)/% $$(wildcard $(SRC)/%.convert.json)
	@mkdir -p $(@D)
	@$(CLI) $< -o $@ --json $(if $(wildcard $<.convert.json),--options-file $<.convert.json) > $@.result.json.tmp; status=$$?; mv $@.result.json.tmp $@.result.json; \
	  if [ $$status -eq 0 ]; then echo "converted $<"; fi; exit $$status

.PHONY: all
