#!/usr/bin/env bash
# The demo teachers, end to end (about 75 minutes on 2 CPU cores). Run from the repository root:
#   bash examples/TrainTeacher/train-teacher.sh [runs]
# 1. MLM self-pretraining on the train-v1.1 contexts, then SQuAD 1.1 fine-tuning  -> runs/teacher
# 2. the same pretrained encoder fine-tuned on SQuAD 2.0 data                    -> runs/teacher-squad2
# 3. the same fine-tuning without the MLM stage (the ablation)                     -> runs/teacher-no-mlm
set -euo pipefail
out=${1:-runs}
mkdir -p "$out"
dotnet build -c Release examples/TrainTeacher >/dev/null
run() { dotnet run -c Release --no-build --project examples/TrainTeacher -- "$@"; }
common=(--layers 3 --hidden 192 --heads 3 --intermediate 768 --seq 192 --stride 64 --qa-steps 1200 --qa-batch 32 --qa-lr 5e-4 --eval-every 400 --eval-questions 1000)
run "${common[@]}" --mlm-steps 500 --mlm-batch 64 --mlm-seq 128 --mlm-lr 1e-3 --mlm-out "$out/mlm" --out "$out/teacher" 2>&1 | tee "$out/teacher.log"
run "${common[@]}" --init "$out/mlm" --squad2 --out "$out/teacher-squad2" 2>&1 | tee "$out/teacher-squad2.log"
run "${common[@]}" --no-mlm --out "$out/teacher-no-mlm" 2>&1 | tee "$out/teacher-no-mlm.log"
