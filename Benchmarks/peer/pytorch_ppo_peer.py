#!/usr/bin/env python3
"""PyTorch peer for the runner's `rl` workload: the same PPO as EcsNeural's, on the same shapes and data sizes.

  python3 pytorch_ppo_peer.py --agents 1024 --obs 16 --actions 2 --hidden 64,64 --rollout 64 --epochs 4 \
      --minibatches 4 --warmup 2 --steps 5 --threads 2

Prints one JSON line per result, {"workload", "impl", "ms_median", "ms_min", "ms_max"}:
  rl-tick    one collected tick: normalise the agents' observations, policy and value forward passes, sample a Gaussian
             action per agent and its log-probability (what the game loop pays every frame);
  rl-update  one PPO update over a full rollout buffer (agents × rollout samples): advantage normalisation, then
             `epochs` passes of `minibatches` shuffled minibatches, each a forward pass of both networks, the clipped
             surrogate + 0.5·value MSE − 0.005·entropy, backward and an Adam step (lr 3e-4).
Networks: separate policy and value MLPs with tanh hidden layers, a state-independent log-std parameter.
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn as nn

CLIP = 0.2
VALUE_COEFFICIENT = 0.5
ENTROPY_COEFFICIENT = 0.005


def mlp(widths):
    layers = []
    for index, (i, o) in enumerate(zip(widths[:-1], widths[1:])):
        layers.append(nn.Linear(i, o))
        if index + 2 < len(widths):
            layers.append(nn.Tanh())
    return nn.Sequential(*layers)


def timed(step, warmup, steps):
    for _ in range(warmup):
        step()
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times), min(times), max(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--agents", type=int, default=1024)
    parser.add_argument("--obs", type=int, default=16)
    parser.add_argument("--actions", type=int, default=2)
    parser.add_argument("--hidden", default="64,64")
    parser.add_argument("--rollout", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--minibatches", type=int, default=4)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1234)

    hidden = [int(w) for w in args.hidden.split(",")]
    policy = mlp([args.obs, *hidden, args.actions])
    value = mlp([args.obs, *hidden, 1])
    log_std = nn.Parameter(torch.zeros(args.actions))
    parameters = list(policy.parameters()) + list(value.parameters()) + [log_std]
    optimizer = torch.optim.Adam(parameters, lr=3e-4)

    n, samples = args.agents, args.agents * args.rollout
    mean_obs, var_obs = torch.zeros(args.obs), torch.ones(args.obs)
    observations = torch.randn(n, args.obs)

    def tick():
        with torch.no_grad():
            x = (observations - mean_obs) / torch.sqrt(var_obs + 1e-8)
            mu = policy(x)
            v = value(x)
            std = log_std.exp()
            action = mu + std * torch.randn_like(mu)
            logp = (-0.5 * ((action - mu) / std) ** 2 - log_std - 0.5 * math.log(2 * math.pi)).sum(-1)
            return action, logp, v

    buffer_obs = torch.randn(samples, args.obs)
    buffer_actions = torch.randn(samples, args.actions)
    buffer_logp = torch.randn(samples) - 2.0
    buffer_advantages = torch.randn(samples)
    buffer_returns = torch.randn(samples)
    minibatch = samples // args.minibatches

    def update():
        advantages = (buffer_advantages - buffer_advantages.mean()) / (buffer_advantages.std() + 1e-8)
        for _ in range(args.epochs):
            order = torch.randperm(samples)
            for start in range(0, samples, minibatch):
                index = order[start:start + minibatch]
                x, a, old, adv, ret = buffer_obs[index], buffer_actions[index], buffer_logp[index], advantages[index], buffer_returns[index]
                mu = policy(x)
                std = log_std.exp()
                logp = (-0.5 * ((a - mu) / std) ** 2 - log_std - 0.5 * math.log(2 * math.pi)).sum(-1)
                ratio = torch.exp(logp - old)
                surrogate = -torch.min(ratio * adv, torch.clamp(ratio, 1 - CLIP, 1 + CLIP) * adv).mean()
                value_loss = ((value(x).squeeze(-1) - ret) ** 2).mean()
                entropy = (log_std + 0.5 * (1 + math.log(2 * math.pi))).sum()
                loss = surrogate + VALUE_COEFFICIENT * value_loss - ENTROPY_COEFFICIENT * entropy
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()

    for name, step, steps in (("rl-tick", tick, max(args.steps, 50)), ("rl-update", update, args.steps)):
        median, low, high = timed(step, args.warmup, steps)
        print(json.dumps({"workload": name, "impl": "pytorch", "ms_median": median, "ms_min": low, "ms_max": high}), flush=True)


if __name__ == "__main__":
    main()
