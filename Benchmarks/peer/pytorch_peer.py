#!/usr/bin/env python3
"""PyTorch peer for the EcsNeural benchmark runner.

Runs the same training steps as the C# runner (forward + backward + SGD update) and prints one JSON line per
result: {"workload", "impl", "ms_median", "ms_min", "ms_max", "agents_timed"}.

  python3 pytorch_peer.py --spec W1=pop:1024:16,32,32,4 --spec W4=mlp:256:784,256,128,10 --warmup 3 --steps 15

With --rounds R (the runner's --busy-threads), each timed result is measured quiet and busy in R alternating rounds:
before each round the peer prints {"load": "quiet"|"busy"} and waits for a line on stdin (the runner switches its busy
threads, then answers); it then prints one result line with "busy": false and one with "busy": true.

Implementations:
  pytorch             populations: every agent's weights stacked into [N, in, out] tensors, one baddbmm per
                      layer; single MLPs: nn.Linear layers + CrossEntropyLoss + SGD.
  pytorch-per-module  populations only: one nn.Sequential per agent, the idiomatic way to give every agent its own
                      network. Timed on --per-module-agents agents (default 64), quiet only, and scaled linearly to N, so
                      ms_* are per step for the workload's full N.
"""
import argparse
import json
import statistics
import sys
import time

import torch
import torch.nn as nn

LEARNING_RATE = 1e-3


def time_steps(step, count, into):
    for _ in range(count):
        start = time.perf_counter()
        step()
        into.append((time.perf_counter() - start) * 1000.0)


def summary(times):
    return statistics.median(times), min(times), max(times)


def switch_load(load):
    """Asks the runner to switch its busy threads and waits until it has."""
    print(json.dumps({"load": load}), flush=True)
    sys.stdin.readline()


def timed(step, warmup, steps):
    for _ in range(warmup):
        step()
    times = []
    time_steps(step, steps, times)
    return summary(times)


def timed_quiet_and_busy(step, warmup, steps, rounds):
    """Quiet and busy medians of the same alternating rounds; each round's first step after switching is untimed."""
    for load in ("quiet", "busy"):
        switch_load(load)
        for _ in range(warmup):
            step()
    quiet, busy = [], []
    for r in range(rounds):
        count = (r + 1) * steps // rounds - r * steps // rounds
        for load, times in (("quiet", quiet), ("busy", busy)):
            switch_load(load)
            step()
            time_steps(step, count, times)
    switch_load("quiet")
    return summary(quiet), summary(busy)


def population_stacked(n, widths):
    """Every agent's MLP as slices of stacked tensors; ReLU hidden, linear output, MSE, one sample per agent."""
    gen = torch.Generator().manual_seed(1234)
    weights, biases = [], []
    for i, o in zip(widths[:-1], widths[1:]):
        weights.append((torch.rand(n, i, o, generator=gen) * 2 - 1).div_(i ** 0.5).requires_grad_())
        biases.append(torch.zeros(n, 1, o, requires_grad=True))
    x = torch.rand(n, 1, widths[0], generator=gen) * 2 - 1
    target = torch.rand(n, 1, widths[-1], generator=gen) * 2 - 1
    optimizer = torch.optim.SGD(weights + biases, lr=LEARNING_RATE)

    def step():
        h = x
        for layer, (w, b) in enumerate(zip(weights, biases)):
            h = torch.baddbmm(b, h, w)
            if layer + 1 < len(weights):
                h = torch.relu(h)
        loss = ((h - target) ** 2).mean(dim=-1).sum()   # each agent's own MSE; agents are independent
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()

    return step


def mlp_layers(widths, final_activation):
    layers = []
    for index, (i, o) in enumerate(zip(widths[:-1], widths[1:])):
        layers.append(nn.Linear(i, o))
        if index + 2 < len(widths) or final_activation:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def population_per_module(agents, widths):
    """One nn.Sequential (and its own loss/backward) per agent; a single SGD over all of them."""
    torch.manual_seed(1234)
    modules = [mlp_layers(widths, False) for _ in range(agents)]
    params = [p for m in modules for p in m.parameters()]
    optimizer = torch.optim.SGD(params, lr=LEARNING_RATE)
    xs = [torch.rand(1, widths[0]) * 2 - 1 for _ in range(agents)]
    targets = [torch.rand(1, widths[-1]) * 2 - 1 for _ in range(agents)]
    loss_fn = nn.MSELoss()

    def step():
        optimizer.zero_grad(set_to_none=True)
        for module, x, t in zip(modules, xs, targets):
            loss_fn(module(x), t).backward()
        optimizer.step()

    return step


def single_mlp(batch, widths):
    torch.manual_seed(4321)
    model = mlp_layers(widths, False)
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    x = torch.rand(batch, widths[0]) * 2 - 1
    labels = torch.randint(0, widths[-1], (batch,))
    loss_fn = nn.CrossEntropyLoss()

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss_fn(model(x), labels).backward()
        optimizer.step()

    return step


def emit(workload, impl, stats, scale=1.0, agents_timed=None, busy=False):
    median, low, high = stats
    print(json.dumps({"workload": workload, "impl": impl, "ms_median": median * scale, "ms_min": low * scale,
                      "ms_max": high * scale, "agents_timed": agents_timed, "busy": busy}), flush=True)


def emit_timed(workload, impl, step, args):
    if args.rounds:
        quiet, busy = timed_quiet_and_busy(step, args.warmup, args.steps, args.rounds)
        emit(workload, impl, quiet)
        emit(workload, impl, busy, busy=True)
    else:
        emit(workload, impl, timed(step, args.warmup, args.steps))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--spec", action="append", default=[], help="ID=pop|mlp:COUNT:W0,W1,...")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--steps", type=int, default=15)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--per-module-agents", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=0, help="alternate quiet and busy rounds (see above); 0: quiet only")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    for spec in args.spec:
        workload, rest = spec.split("=", 1)
        kind, count, widths = rest.split(":")
        count, widths = int(count), [int(w) for w in widths.split(",")]
        if kind == "pop":
            emit_timed(workload, "pytorch", population_stacked(count, widths), args)
            agents = min(count, args.per_module_agents)
            stats = timed(population_per_module(agents, widths), 1, max(3, args.steps // 3))
            emit(workload, "pytorch-per-module", stats, scale=count / agents, agents_timed=agents)
        elif kind == "mlp":
            emit_timed(workload, "pytorch", single_mlp(count, widths), args)
        else:
            sys.exit(f"unknown workload kind {kind!r} in --spec {spec!r}")


if __name__ == "__main__":
    main()
