#!/usr/bin/env bash
# Regenerates the committed test fixtures: runs every script in Scripts/fixtures, in order, with
# the reference Python ($COURSE_PYTHON, else .venv/bin/python from Scripts/make-venv.sh), then
# shows what changed (git status of Tests/ and Fuzz/). A fixture that changes is a finding to
# explain (a new library version, a changed script), not something to commit blindly.
# Usage: Scripts/regenerate-fixtures.sh [NAME...]
#   NAME is a script's name without .py (e.g. parquet_fixtures hub_reference_cache); none: all.
# Needs: the reference venv; the data mirror ($COURSE_MIRROR or ../shared/mirror) for
# data_datasets_fixtures, data_metrics_fixtures, tokenizer_parity_fixtures and
# engine_make_fixtures; .venv-datasets2 (Scripts/make-venv.sh --datasets2) for
# data_datasets_printing (skipped without it); for hub_shared_cache_check, `swift test` builds
# and runs one Hub test to make the cache tree the script reads.
# Expect last-digit drift from two of them on another CPU or thread count: engine_make_fixtures
# and pipelines_fixtures record float32 outputs of forward and backward passes (the weights they
# write are seeded and come out identical), and pipelines' config.json files record the
# transformers version. On a 2-core AMD EPYC with Scripts/requirements.txt they differ from the
# committed files by at most 6e-6, within the Swift tests' tolerances; everything else
# reproduces byte for byte.
set -uo pipefail
cd "$(dirname "$0")/.."
python="${COURSE_PYTHON:-.venv/bin/python}"
[ -x "$python" ] || command -v "$python" >/dev/null || {
    echo "regenerate-fixtures: no reference Python at $python: run Scripts/make-venv.sh (or set COURSE_PYTHON)" >&2; exit 1; }

# Cheap, torch-free ones first; then the ones that import torch and transformers.
all=(parquet_fixtures datasets_export_fixtures data_numpy_random_fixtures data_datasets_fixtures data_metrics_fixtures
     metrics_glue_fixtures data_datasets_printing datasets_hub_fixtures hub_reference_cache hub_dataset_snapshot_reference
     hub_shared_cache_check hub_upload_reference tokenizer_parity_fixtures collators_fixtures tensorboard_fixtures
     training_scheduler_fixtures trainer_schedule_fixtures trainer_push_reference models_module_tree_fixtures
     models_regression_fixtures engine_make_fixtures pipelines_fixtures python_reads_swift_files
     finetune_defaults_fixtures finetune_output_fixtures distilbert_python_logits)
if [ $# -gt 0 ]; then names=("$@"); else names=("${all[@]}"); fi
# Every script in Scripts/fixtures must be in the list above, so a new one is not forgotten.
for f in Scripts/fixtures/*.py; do
    n=$(basename "$f" .py)
    [[ " ${all[*]} " == *" $n "* ]] || { echo "regenerate-fixtures: $f is not in the list in $0" >&2; exit 1; }
done

failed=() skipped=()
for n in "${names[@]}"; do
    script=Scripts/fixtures/$n.py
    [ -f "$script" ] || { echo "regenerate-fixtures: no $script" >&2; failed+=("$n"); continue; }
    echo "== $n"
    case "$n" in
    data_datasets_printing)
        if [ -x .venv-datasets2/bin/python ]; then
            .venv-datasets2/bin/python "$script" || failed+=("$n")
        else
            echo "   skipped: needs .venv-datasets2 (Scripts/make-venv.sh --datasets2)"; skipped+=("$n")
        fi ;;
    hub_shared_cache_check)
        # The Swift Hub's cache tree from SharedCacheTests, then huggingface_hub's view of it.
        keep=$(mktemp -d)/cache
        if HUB_SHARED_CACHE_KEEP="$keep" swift test --filter "HubTests.SharedCacheTests" >/dev/null 2>&1 && [ -d "$keep" ]; then
            "$python" "$script" "$keep" model owner/tiny config.json model.safetensors tokenizer.json --record >/dev/null || failed+=("$n")
        else
            echo "   failed: swift test --filter HubTests.SharedCacheTests did not leave a cache in $keep"; failed+=("$n")
        fi
        rm -rf "$(dirname "$keep")" ;;
    distilbert_python_logits)
        # A check, not a fixture: DistilBertPythonLoadTests runs it on a model it saved.
        echo "   nothing to regenerate (run by ModelsTests.DistilBertPythonLoadTests)" ;;
    python_reads_swift_files)
        # Only its fixture half; the check half runs inside TrainingTests.PythonFilesTests.
        "$python" "$script" --fixture || failed+=("$n") ;;
    *)
        "$python" "$script" || failed+=("$n") ;;
    esac
done

echo
echo "== changed under Tests/ and Fuzz/ (git status --short):"
git status --short -- Tests Fuzz
[ ${#skipped[@]} -eq 0 ] || echo "skipped: ${skipped[*]}"
[ ${#failed[@]} -eq 0 ] || { echo "failed: ${failed[*]}" >&2; exit 1; }
