#!/usr/bin/env bash
# The demo teachers, end to end. Run from the repository root:
#   bash examples/TrainTeacher/train-teacher.sh [runs]
# 1. MLM self-pretraining on the train-v1.1 contexts                              -> runs/mlm
# 2. in parallel: from that encoder, SQuAD 1.1 fine-tuning                        -> runs/teacher
#                 from that encoder, SQuAD 2.0 fine-tuning                        -> runs/teacher-squad2
#                 the same SQuAD 1.1 fine-tuning without the MLM stage (ablation) -> runs/teacher-no-mlm
# Each run writes OUT/model (Hugging Face layout) and OUT/report.json (recipe, curves, dev metrics).
set -euo pipefail
out=${1:-runs}
mkdir -p "$out"
dotnet build -c Release examples/TrainTeacher >/dev/null
# One thread per process: the three fine-tunings share the cores without OpenMP spinning against each other.
run() { OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 dotnet run -c Release --no-build --project examples/TrainTeacher -- "$@"; }
arch=(--layers 3 --hidden 192 --heads 3 --intermediate 768)
qa=(--seq 192 --stride 64 --qa-steps 3000 --qa-batch 32 --qa-lr 5e-4 --eval-every 1000 --eval-questions 500)
# The MLM stage runs alone, so it gets every core.
dotnet run -c Release --no-build --project examples/TrainTeacher -- "${arch[@]}" --mlm-only --mlm-steps 500 --mlm-batch 64 --mlm-seq 128 --mlm-lr 1e-3 --mlm-out "$out/mlm" 2>&1 | tee "$out/mlm.log"
run "${arch[@]}" "${qa[@]}" --init "$out/mlm" --out "$out/teacher" > "$out/teacher.log" 2>&1 &
run "${arch[@]}" "${qa[@]}" --init "$out/mlm" --squad2 --out "$out/teacher-squad2" > "$out/teacher-squad2.log" 2>&1 &
run "${arch[@]}" "${qa[@]}" --no-mlm --out "$out/teacher-no-mlm" > "$out/teacher-no-mlm.log" 2>&1 &
wait
tail -n 4 "$out/teacher.log" "$out/teacher-squad2.log" "$out/teacher-no-mlm.log"
