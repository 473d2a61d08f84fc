#!/usr/bin/env bash
# tests/sweep_tasks.sh PROVSIM -- one sweep split into tasks four ways,
# every merge byte-identical to the single process's sweep.csv and
# sweep.json: 3 tasks through GNU parallel (skipped, exit 77, without it,
# except under CI), 3 tasks one after the other, the script of
# --emit-slurm run by bash as Slurm would run it (a stand-in sbatch that
# records the merge job and runs it after the tasks), and --tasks slurm
# from the array variables. Then --plot and provsim report on a merged
# directory, and the command line's refusals.
set -euo pipefail
prov=${1:?usage: sweep_tasks.sh PATH/TO/provsim}
prov=$(cd "$(dirname "$prov")" && pwd)/$(basename "$prov")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/provsim-tasks.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
cp "$here/../configs/default.json" s.json
# a --set with a space and a quote: every launcher must pass it as one word
args=(s.json --vary 'workload.rollouts[0].batch_size=250,1000'
      --vary 'workload.rollouts[0].at=10:00,19:00' --reps 4 --set "name=it's a test")
"$prov" sweep "${args[@]}" --out one --jobs 2 >/dev/null

same() { # DIR: its results are the single process's bytes
  cmp one/sweep.csv "$1/sweep.csv"
  cmp one/sweep.json "$1/sweep.json"
  echo "ok: $1 merges to the single process's bytes"
}

# sequential: task k of 3, one after the other
for k in 0 1 2; do
  "$prov" sweep "${args[@]}" --out seq --task $k --tasks 3 --jobs 1 >/dev/null
done
[ ! -e seq/sweep.csv ]
"$prov" sweep --merge seq >seq.txt
grep -q 'merged: .* units from 3 tasks' seq.txt
same seq

# GNU parallel, 3 tasks at once
skipped=0
if command -v parallel >/dev/null; then
  parallel --will-cite -q --halt now,fail=1 -j 3 "$prov" sweep "${args[@]}" --out par --jobs 1 \
    --task {} --tasks 3 ::: 0 1 2 >/dev/null
  "$prov" sweep --merge par >/dev/null
  same par
elif [ -n "${CI:-}" ]; then
  echo "FAIL: GNU parallel not found and CI is set (.ci/run installs it)"
  exit 1
else
  echo "SKIP: GNU parallel not found: that part not run"
  skipped=1
fi

# the --emit-slurm script, run as Slurm runs an array: each task with its
# variables; the stand-in sbatch records the merge job's --wrap command
mkdir bin
cat >bin/sbatch <<'EOF'
#!/usr/bin/env bash
# records the job it is asked to submit; prints a job id, as --parsable does
for a in "$@"; do
  case $a in --wrap=*) printf '%s\n' "${a#--wrap=}" >>"$MERGE_JOBS" ;; esac
done
echo 999
EOF
chmod +x bin/sbatch
"$prov" sweep "${args[@]}" --out "emit out" --emit-slurm 3 --cpus-per-task 2 >e.sbatch
grep -q '^#SBATCH --array=0-2$' e.sbatch
grep -q '^#SBATCH --cpus-per-task=2$' e.sbatch
for k in 0 1 2; do
  PATH=$work/bin:$PATH MERGE_JOBS=$work/merge-jobs SLURM_ARRAY_JOB_ID=41 \
    SLURM_ARRAY_TASK_ID=$((k + 5)) SLURM_ARRAY_TASK_MIN=5 SLURM_ARRAY_TASK_COUNT=3 \
    bash e.sbatch >"task$k.out"
done
[ "$(wc -l <merge-jobs)" = 1 ] # only the first task submits the merge
grep -q 'merge job 999 runs after every task of job 41' task0.out
bash -c "$(cat merge-jobs)" >/dev/null
same "emit out"

# --tasks slurm directly, an array starting at 1
for k in 1 2; do
  SLURM_ARRAY_TASK_ID=$k SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_COUNT=2 \
    "$prov" sweep "${args[@]}" --out sl --tasks slurm >/dev/null
done
ls sl/journal/task-0000-of-0002.jsonl sl/journal/task-0001-of-0002.jsonl >/dev/null

# charts and the report of a merged directory
if command -v gnuplot >/dev/null; then
  "$prov" sweep --merge sl --plot >/dev/null
  ls sl/*.png >/dev/null
else
  "$prov" sweep --merge sl >/dev/null
fi
same sl
"$prov" report sl >/dev/null
[ -s sl/report.md ] && [ -s sl/report.html ]
grep -q 'batch' sl/report.md
echo "ok: --plot and provsim report on a merged directory"

# refusals: exit 2 and a message naming the problem
refuse() { # NEEDLE ARGS...: exit 2 and NEEDLE on stderr
  local needle=$1
  shift
  set +e
  "$prov" "$@" >out.txt 2>err.txt
  local rc=$?
  set -e
  if [ $rc != 2 ] || ! grep -qF -- "$needle" err.txt || [ -s out.txt ]; then
    echo "FAIL: provsim $*: exit $rc, stderr: $(cat err.txt), expected 2 and \"$needle\""
    exit 1
  fi
  echo "ok: refused: $(head -n 1 err.txt)"
}
refuse 'SLURM_ARRAY_TASK_ID is not set' sweep "${args[@]}" --out x --tasks slurm
refuse '--task K and --tasks N go together' sweep "${args[@]}" --out x --task 1
refuse '--task: "3" is not a task' sweep "${args[@]}" --out x --task 3 --tasks 3
refuse '--tasks slurm takes the task from Slurm' sweep "${args[@]}" --out x --task 0 --tasks slurm
refuse '--plot goes with the merge' sweep "${args[@]}" --out x --task 0 --tasks 2 --plot
refuse '--merge DIR takes only --plot' sweep --merge seq --reps 3
refuse '--merge DIR takes only --plot' sweep s.json --merge seq
refuse 'go with --emit-slurm' sweep "${args[@]}" --out x --time 1:00
refuse '--emit-slurm: "0"' sweep "${args[@]}" --emit-slurm 0
refuse '--time and --partition' sweep "${args[@]}" --emit-slurm 2 --partition 'a b'
refuse 'not standard input' sweep - --vary 'workload.rollouts[0].batch_size=1,2' --emit-slurm 2
refuse 'not standard input' sweep - --vary 'workload.rollouts[0].batch_size=1,2' --task 0 --tasks 2
refuse 'changed: --reps' sweep "${args[@]}" --reps 5 --out seq --task 1 --tasks 3
refuse 'nothing to merge' sweep --merge nowhere
refuse 'cell 1' sweep s.json --vary 'workload.rollouts[0].batch_size=0,1' --emit-slurm 2
[ ! -e x ]
echo "PASS sweep_tasks"
[ $skipped = 0 ] || exit 77
