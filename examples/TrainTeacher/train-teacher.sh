#!/usr/bin/env bash
# The demo teachers, end to end. Run from the repository root:
#   bash examples/TrainTeacher/train-teacher.sh [runs]
# 1. MLM self-pretraining on the train-v1.1 contexts, then SQuAD 1.1 fine-tuning  -> runs/teacher
#    (the pretrained encoder is saved to runs/mlm)
# 2. in parallel, from the same pretrained encoder, SQuAD 2.0 fine-tuning          -> runs/teacher-squad2
#    and the same SQuAD 1.1 fine-tuning without the MLM stage (the ablation)       -> runs/teacher-no-mlm
# On 2 CPU cores: about 25 minutes of MLM, then about 20 minutes per fine-tuning run when the machine is free.
set -euo pipefail
out=${1:-runs}
mkdir -p "$out"
dotnet build -c Release examples/TrainTeacher >/dev/null
run() { dotnet run -c Release --no-build --project examples/TrainTeacher -- "$@"; }
common=(--layers 3 --hidden 192 --heads 3 --intermediate 768 --seq 192 --stride 64 --qa-steps 1200 --qa-batch 32 --qa-lr 5e-4 --eval-every 400 --eval-questions 1000)
if [ "${SKIP_MAIN:-0}" != 1 ]; then
  run "${common[@]}" --mlm-steps 500 --mlm-batch 64 --mlm-seq 128 --mlm-lr 1e-3 --mlm-out "$out/mlm" --out "$out/teacher" 2>&1 | tee "$out/teacher.log"
fi
run "${common[@]}" --init "$out/mlm" --squad2 --out "$out/teacher-squad2" > "$out/teacher-squad2.log" 2>&1 &
run "${common[@]}" --no-mlm --out "$out/teacher-no-mlm" > "$out/teacher-no-mlm.log" 2>&1 &
wait
tail -n 3 "$out/teacher.log" "$out/teacher-squad2.log" "$out/teacher-no-mlm.log"
