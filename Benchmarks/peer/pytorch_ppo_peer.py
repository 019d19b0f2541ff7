#!/usr/bin/env python3
"""PyTorch peer for the runner's `rl` workload: the same PPO as EcsNeural's, on the same shapes and data sizes.

  python3 pytorch_ppo_peer.py --agents 1024 --obs 16 --actions 2 --hidden 64,64 --rollout 64 --epochs 4 \
      --minibatches 4 --warmup 3 --steps 15 --tick-steps 64 --threads 2

Prints one JSON line per result, {"workload", "impl", "ms_median", "ms_min", "ms_max", "busy"}; with --rounds R it times
each quiet and busy in R alternating rounds, switching the runner's load as pytorch_peer.py does.
  rl-tick    one collected tick: normalise the agents' observations by the running statistics, policy and value forward
             passes, sample a Gaussian action per agent and its log-probability, record the step in the rollout buffer
             (what the game loop pays every frame);
  rl-update  one PPO update over a full rollout buffer (agents × rollout samples): advantage normalisation, then
             `epochs` passes of `minibatches` shuffled minibatches, each: gather, normalise the observations, forward
             passes of both networks, the clipped surrogate + 0.5·value MSE − 0.005·entropy, backward, an Adam step
             (lr 3e-4), and the approximate KL and clip fraction of the step (as EcsNeural reports them).
Networks as EcsNeural's PPO: separate policy and value MLPs with tanh hidden layers and linear heads, a state-independent
log-std parameter.
"""
import argparse
import json
import math

import torch
import torch.nn as nn

from pytorch_peer import emit, timed, timed_quiet_and_busy

CLIP = 0.2
VALUE_COEFFICIENT = 0.5
ENTROPY_COEFFICIENT = 0.005
LEARNING_RATE = 3e-4
HALF_LOG_TWO_PI = 0.5 * math.log(2 * math.pi)


def mlp(widths):
    layers = []
    for index, (i, o) in enumerate(zip(widths[:-1], widths[1:])):
        layers.append(nn.Linear(i, o))
        if index + 2 < len(widths):
            layers.append(nn.Tanh())
    return nn.Sequential(*layers)


def log_likelihood(mu, log_std, actions):
    return (-0.5 * ((actions - mu) / log_std.exp()) ** 2 - log_std - HALF_LOG_TWO_PI).sum(-1)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agents", type=int, default=1024)
    parser.add_argument("--obs", type=int, default=16)
    parser.add_argument("--actions", type=int, default=2)
    parser.add_argument("--hidden", default="64,64")
    parser.add_argument("--rollout", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--minibatches", type=int, default=4)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--steps", type=int, default=15, help="timed updates")
    parser.add_argument("--tick-steps", type=int, default=64, help="timed ticks")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=0, help="alternate quiet and busy rounds (see pytorch_peer.py); 0: quiet only")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1234)

    hidden = [int(w) for w in args.hidden.split(",")]
    policy = mlp([args.obs, *hidden, args.actions])
    value = mlp([args.obs, *hidden, 1])
    log_std = nn.Parameter(torch.zeros(args.actions))
    optimizer = torch.optim.Adam(list(policy.parameters()) + list(value.parameters()) + [log_std], lr=LEARNING_RATE)

    n, samples = args.agents, args.agents * args.rollout
    mean_obs, var_obs = torch.randn(args.obs) * 0.1, torch.rand(args.obs) + 0.5
    inverse_std = 1 / torch.sqrt(var_obs + 1e-8)
    observations = torch.randn(n, args.obs)
    buffer_obs = torch.randn(args.rollout, n, args.obs)
    buffer_actions = torch.randn(args.rollout, n, args.actions)
    buffer_logp = torch.randn(args.rollout, n) - 2.0
    buffer_values = torch.randn(args.rollout, n)
    buffer_advantages = torch.randn(samples)
    buffer_returns = torch.randn(samples)
    position = [0]

    def tick():
        with torch.no_grad():
            x = (observations - mean_obs) * inverse_std
            mu = policy(x)
            v = value(x).squeeze(-1)
            action = mu + log_std.exp() * torch.randn_like(mu)
            t = position[0]
            buffer_obs[t] = observations
            buffer_actions[t] = action
            buffer_logp[t] = log_likelihood(mu, log_std, action)
            buffer_values[t] = v
            position[0] = (t + 1) % args.rollout

    flat_obs = buffer_obs.view(samples, args.obs)
    flat_actions = buffer_actions.view(samples, args.actions)
    flat_logp = buffer_logp.view(samples)
    minibatch = (samples + args.minibatches - 1) // args.minibatches

    def update():
        advantages = (buffer_advantages - buffer_advantages.mean()) / (buffer_advantages.std() + 1e-8)
        for _ in range(args.epochs):
            order = torch.randperm(samples)
            for start in range(0, samples, minibatch):
                index = order[start:start + minibatch]
                x = (flat_obs[index] - mean_obs) * inverse_std
                a, old, adv, ret = flat_actions[index], flat_logp[index], advantages[index], buffer_returns[index]
                ratio = torch.exp(log_likelihood(policy(x), log_std, a) - old)
                surrogate = -torch.min(ratio * adv, torch.clamp(ratio, 1 - CLIP, 1 + CLIP) * adv).mean()
                value_loss = ((value(x).squeeze(-1) - ret) ** 2).mean()
                entropy = (log_std + 0.5 + HALF_LOG_TWO_PI).sum()
                loss = surrogate + VALUE_COEFFICIENT * value_loss - ENTROPY_COEFFICIENT * entropy
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
                with torch.no_grad():
                    ((ratio - 1) - ratio.log()).mean().item()
                    ((ratio - 1).abs() > CLIP).float().mean().item()

    for name, step, steps in (("rl-tick", tick, args.tick_steps), ("rl-update", update, args.steps)):
        if args.rounds:
            quiet, busy = timed_quiet_and_busy(step, args.warmup, steps, args.rounds)
            emit(name, "pytorch", quiet)
            emit(name, "pytorch", busy, busy=True)
        else:
            emit(name, "pytorch", timed(step, args.warmup, steps))


if __name__ == "__main__":
    main()
