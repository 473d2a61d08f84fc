#!/usr/bin/env bash
# tests/slurm.sh PROVSIM -- a sweep through a real Slurm: brings up a
# private single-node cluster under a temporary directory (its own munge
# key and socket, slurm.conf with the node `slurmd -C` reports, its own
# ports, state, spool and pid files; SlurmUser=root, proctrack/linuxproc,
# task/none, no accounting), submits the script of `provsim sweep ...
# --emit-slurm 4` with a plain sbatch, waits for the merge job it submits,
# and checks sweep.csv and sweep.json are the bytes of a single-process
# sweep. The daemons run in the foreground (-D, munged -F) in the
# background of this script, with their output in files; on exit, failed
# or not, the jobs of this private cluster are cancelled, only the PIDs
# this script started are stopped, and the directory is removed.
# Needs root and Debian's slurmctld slurmd slurm-client munge: skips
# (exit 77, ctest SKIP_RETURN_CODE) without them, except under CI (CI set),
# where .ci/run installs them and a skip would hide a broken test.
set -euo pipefail
prov=${1:?usage: slurm.sh PATH/TO/provsim}
prov=$(cd "$(dirname "$prov")" && pwd)/$(basename "$prov")
here=$(cd "$(dirname "$0")" && pwd)

skip() {
  echo "SKIP slurm: $1"
  if [ -n "${CI:-}" ]; then
    echo "slurm: CI is set, so this is a failure, not a skip"
    exit 1
  fi
  exit 77
}
[ "$(id -u)" = 0 ] || skip "needs root (SlurmUser=root in a private cluster)"
for b in munged slurmctld slurmd sbatch squeue sinfo scontrol scancel; do
  command -v "$b" >/dev/null || skip "$b not found (apt-get install slurmctld slurmd slurm-client munge)"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/provsim-slurm.XXXXXX")
pids=()
conf=$work/slurm.conf
cleanup() {
  local rc=$?
  set +e
  if [ -f "$conf" ] && [ ${#pids[@]} -gt 1 ]; then
    SLURM_CONF=$conf timeout 10 scancel --quiet --full -u root 2>/dev/null
  fi
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill "${pids[i]}" 2>/dev/null
  done
  for p in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null
  done
  if [ $rc != 0 ] && [ $rc != 77 ]; then
    for f in "$work"/log/* "$work"/run/slurm-*.out; do
      [ -f "$f" ] && { echo "---- $(basename "$f") (last lines)"; tail -n 15 "$f"; }
    done
  fi
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$work"/{munge,state,spool,log,run}

# munge: a key of our own and a socket of our own
dd if=/dev/urandom of="$work/munge/key" bs=1024 count=1 status=none
chmod 700 "$work/munge"
chmod 400 "$work/munge/key"
munged -F -f --key-file="$work/munge/key" --socket="$work/munge/sock" \
  --pid-file="$work/munge/pid" --seed-file="$work/munge/seed" \
  --log-file="$work/log/munged.log" >"$work/log/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -S "$work/munge/sock" ] && break; sleep 0.1; done
[ -S "$work/munge/sock" ] || skip "munged did not start: $(tail -n 3 "$work/log/munged.out" "$work/log/munged.log" 2>/dev/null)"

# the one node, as slurmd sees this machine, reached on the loopback
node=$(slurmd -C | head -n 1)
host=$(sed 's/^NodeName=\([^ ]*\).*/\1/' <<<"$node")
# two free ports (slurmctld's, slurmd's): none listening per /proc/net/tcp*
listening() {
  local f sl addr rem st rest
  for f in /proc/net/tcp /proc/net/tcp6; do
    [ -r "$f" ] || continue
    while read -r sl addr rem st rest; do
      [ "$st" = 0A ] && echo $((16#${addr##*:}))
    done < <(tail -n +2 "$f")
  done
  return 0
}
busy=$(listening)
for _ in $(seq 20); do
  port=$((20000 + RANDOM % 30000))
  grep -qxE "$port|$((port + 1))" <<<"$busy" || break
done
cat >"$conf" <<EOF
ClusterName=provsimtest
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge/sock
CredType=cred/munge
SlurmctldPort=$port
SlurmdPort=$((port + 1))
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
MinJobAge=600
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$conf
slurmctld -D -f "$conf" >"$work/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$conf" >"$work/log/slurmd.out" 2>&1 &
pids+=($!)
up=0
for _ in $(seq 100); do
  if sinfo -h -o %t 2>/dev/null | grep -q idle; then up=1; break; fi
  sleep 0.2
done
[ $up = 1 ] || skip "the private Slurm did not come up (node not idle after 20 s): $(tail -n 3 "$work/log/slurmctld.log" "$work/log/slurmd.log" 2>/dev/null)"
echo "slurm: private cluster up on port $port: $(sinfo -h -o '%n %c CPUs %t')"

# the sweep, in one process and through Slurm
cd "$work/run"
cp "$here/../configs/default.json" s.json
args=(s.json --vary 'workload.rollouts[0].batch_size=250,1000'
      --vary 'workload.rollouts[0].at=10:00,19:00+name=it'"'"'s 10:00,it'"'"'s 19:00'
      --reps 4)
"$prov" sweep "${args[@]}" --out one --jobs 2 >one.txt
"$prov" sweep "${args[@]}" --out 'on slurm' --emit-slurm 4 --cpus-per-task 1 --time 10:00 >sweep.sbatch
grep -q '^#SBATCH --array=0-3$' sweep.sbatch
t0=$(date +%s.%N)
jid=$(sbatch --parsable sweep.sbatch)
echo "slurm: submitted array job $jid"
done=0
for _ in $(seq 600); do
  if [ -z "$(squeue -h -o %i 2>/dev/null)" ] && [ -f "slurm-${jid}_0.out" ]; then done=1; break; fi
  sleep 0.2
done
[ $done = 1 ] || { echo "FAIL: jobs still queued after 120 s:"; squeue; exit 1; }
t1=$(date +%s.%N)
merge=$(sed -n 's/^provsim: merge job \([0-9]*\) runs.*/\1/p' "slurm-${jid}_0.out")
[ -n "$merge" ] || { echo "FAIL: task 0 did not submit the merge"; exit 1; }
for k in 0 1 2 3; do
  scontrol show job "${jid}_$k" | grep -q 'JobState=COMPLETED' ||
    { echo "FAIL: task $k:"; scontrol show job "${jid}_$k"; exit 1; }
done
scontrol show job "$merge" | grep -q 'JobState=COMPLETED' ||
  { echo "FAIL: merge job $merge:"; scontrol show job "$merge"; cat "slurm-$merge.out"; exit 1; }
grep -q 'merged: .* units from 4 tasks' "slurm-$merge.out"
ls 'on slurm/journal'
[ "$(ls 'on slurm/journal' | grep -c '^task-000[0-3]-of-0004\.jsonl$')" = 4 ]
cmp one/sweep.csv 'on slurm/sweep.csv'
cmp one/sweep.json 'on slurm/sweep.json'
printf 'slurm: array of 4 tasks and the merge in %.1f s; sweep.csv and sweep.json identical to one process\n' \
  "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
echo "PASS slurm"
