#!/usr/bin/env python3
"""PyTorch eager reference for `escope bench training --reference pytorch`.

Trains the same networks as EnsembleScope's core (core/.../models/MnistMlp.java, ResNet.java, layers/BatchEnsemble*)
with the same optimizers, batch size and data, in a plain eager loop: the split lives in one tensor, each step indexes
a batch from it, runs forward, cross-entropy, backward, the optimizer step, and reads the loss (as the Java loop does).

Two modes:
  * one-shot:  pytorch_training_reference.py --data DIR --arch mnist-mlp --method SINGLE --epochs 2
  * serve:     pytorch_training_reference.py --serve   (one JSON request per stdin line, one JSON answer per line;
               the Java driver keeps this process alive and alternates with its own runs)

DIR holds x.u8 (N·C·H·W uint8 pixels), y.u8 (N labels) and meta.json ({n, c, h, w, classes, mean, std}), written by
the Java driver from the very split it trains on.
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 4


def kaiming_(w):
    fan_in = w[0].numel() if w.dim() > 1 else w.numel()
    with torch.no_grad():
        w.normal_(0.0, (2.0 / fan_in) ** 0.5)


class BELinear(nn.Module):
    """Rank-1 BatchEnsemble linear: member i computes ((x * r_i) W^T) * s_i + b_i on member-major rows."""

    def __init__(self, k, fan_in, units):
        super().__init__()
        self.k = k
        self.weight = nn.Parameter(torch.empty(units, fan_in))
        self.r = nn.Parameter(torch.empty(k, 1, fan_in).normal_(1.0, 0.5))
        self.s = nn.Parameter(torch.empty(k, 1, units).normal_(1.0, 0.5))
        self.bias = nn.Parameter(torch.zeros(k, 1, units))
        kaiming_(self.weight)

    def forward(self, x):
        kb, fan_in = x.shape
        y = F.linear(x.view(self.k, kb // self.k, fan_in) * self.r, self.weight)
        return (y * self.s + self.bias).view(kb, -1)


class BEConv(nn.Module):
    """Rank-1 BatchEnsemble convolution without shared bias: conv(x * r_i) * s_i + b_i."""

    def __init__(self, k, cin, cout, kernel, stride, padding):
        super().__init__()
        self.k, self.stride, self.padding = k, stride, padding
        self.weight = nn.Parameter(torch.empty(cout, cin, kernel, kernel))
        self.r = nn.Parameter(torch.empty(k, 1, cin, 1, 1).normal_(1.0, 0.5))
        self.s = nn.Parameter(torch.empty(k, 1, cout, 1, 1).normal_(1.0, 0.5))
        self.bias = nn.Parameter(torch.zeros(k, 1, cout, 1, 1))
        kaiming_(self.weight)

    def forward(self, x):
        kb, c, h, w = x.shape
        b = kb // self.k
        x = (x.view(self.k, b, c, h, w) * self.r).view(kb, c, h, w)
        y = F.conv2d(x, self.weight, None, self.stride, self.padding)
        _, o, ho, wo = y.shape
        return (y.view(self.k, b, o, ho, wo) * self.s + self.bias).view(kb, o, ho, wo)


class Layers:
    """Plain or BatchEnsemble layers, as core's LayerFactory makes them."""

    def __init__(self, k):
        self.k = k

    def linear(self, fan_in, units):
        if self.k > 1:
            return BELinear(self.k, fan_in, units)
        layer = nn.Linear(fan_in, units)
        kaiming_(layer.weight)
        nn.init.zeros_(layer.bias)
        return layer

    def conv(self, cin, cout, kernel, stride, padding):
        if self.k > 1:
            return BEConv(self.k, cin, cout, kernel, stride, padding)
        layer = nn.Conv2d(cin, cout, kernel, stride, padding, bias=False)
        kaiming_(layer.weight)
        return layer


def mnist_mlp(layers, dropout):
    mods = [nn.Flatten()]
    fan_in = 784
    for units in (64, 32, 16):
        mods += [layers.linear(fan_in, units), nn.ReLU(), nn.Dropout(dropout)]
        fan_in = units
    mods.append(layers.linear(fan_in, 10))
    return nn.Sequential(*mods)


class BasicBlock(nn.Module):
    def __init__(self, layers, cin, cout, stride):
        super().__init__()
        self.main = nn.Sequential(layers.conv(cin, cout, 3, stride, 1), nn.BatchNorm2d(cout), nn.ReLU(),
                                  layers.conv(cout, cout, 3, 1, 1), nn.BatchNorm2d(cout))
        self.shortcut = (nn.Sequential(layers.conv(cin, cout, 1, stride, 0), nn.BatchNorm2d(cout))
                         if stride != 1 or cin != cout else nn.Identity())

    def forward(self, x):
        return F.relu(self.main(x) + self.shortcut(x))


def resnet20(layers, dropout, classes):
    widths = (16, 32, 64)
    mods = [layers.conv(3, widths[0], 3, 1, 1), nn.BatchNorm2d(widths[0]), nn.ReLU()]
    cin = widths[0]
    for stage, width in enumerate(widths):
        for b in range(3):
            mods.append(BasicBlock(layers, cin, width, 2 if stage > 0 and b == 0 else 1))
            cin = width
    mods += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(dropout), layers.linear(cin, classes)]
    return nn.Sequential(*mods)


class Split:
    """The training split on the native side once: uint8 pixels, normalised per batch (after augmentation)."""

    def __init__(self, data_dir):
        with open(os.path.join(data_dir, "meta.json")) as f:
            meta = json.load(f)
        self.n, self.c, self.h, self.w = meta["n"], meta["c"], meta["h"], meta["w"]
        self.classes = meta["classes"]
        x = torch.frombuffer(bytearray(open(os.path.join(data_dir, "x.u8"), "rb").read()), dtype=torch.uint8)
        y = torch.frombuffer(bytearray(open(os.path.join(data_dir, "y.u8"), "rb").read()), dtype=torch.uint8)
        self.x = x.view(self.n, self.c, self.h, self.w)
        self.y = y.to(torch.int64)
        self.scale = (1.0 / (255.0 * torch.tensor(meta["std"]))).view(1, -1, 1, 1)
        self.shift = (torch.tensor(meta["mean"]) / torch.tensor(meta["std"])).view(1, -1, 1, 1)
        self.normalized = self.x.float() * self.scale - self.shift

    def batch(self, idx, augment, gen):
        if not augment:
            return self.normalized[idx], self.y[idx]
        # Random crop from the 4-pixel zero-padded image and horizontal flip, vectorised over the batch.
        b = idx.numel()
        padded = F.pad(self.x[idx], (PAD, PAD, PAD, PAD))
        dy = torch.randint(0, 2 * PAD + 1, (b, 1), generator=gen)
        dx = torch.randint(0, 2 * PAD + 1, (b, 1), generator=gen)
        flip = torch.randint(0, 2, (b, 1), generator=gen).bool()
        rows = torch.arange(self.h).view(1, -1) + dy
        cols = torch.arange(self.w).view(1, -1)
        cols = torch.where(flip, self.w - 1 - cols, cols) + dx
        crop = padded[torch.arange(b).view(b, 1, 1, 1), torch.arange(self.c).view(1, -1, 1, 1),
                      rows.view(b, 1, self.h, 1), cols.view(b, 1, 1, self.w)]
        return crop.float() * self.scale - self.shift, self.y[idx]


def build(arch, k, dropout, classes):
    layers = Layers(k)
    if arch == "mnist-mlp":
        return mnist_mlp(layers, dropout)
    if arch == "resnet20":
        return resnet20(layers, dropout, classes)
    raise ValueError("unknown arch " + arch)


def optimizer(arch, params):
    if arch == "mnist-mlp":
        return torch.optim.Adam(params, lr=1e-3, weight_decay=1e-4)
    return torch.optim.SGD(params, lr=0.05, momentum=0.9, nesterov=True, weight_decay=5e-4)


def write_trace(profiler, path):
    """The profiled ops as chrome-trace complete events with their input shapes, in the layout libtorch's Kineto
    trace has (what DJL writes): torch 1.13 built without Kineto exports neither categories nor shapes."""
    events = [{"name": e.name, "ph": "X", "cat": "cpu_op", "ts": e.time_range.start, "dur": e.time_range.elapsed_us(),
               "pid": 0, "tid": e.thread, "args": {"Input Dims": e.input_shapes}} for e in profiler.events()]
    with open(path, "w") as f:
        json.dump({"traceEvents": events}, f)


def train(req, splits):
    torch.set_num_threads(int(req.get("threads", 2)))
    torch.manual_seed(int(req.get("seed", 1)))
    split = splits.get(req["data"])
    if split is None:
        split = splits[req["data"]] = Split(req["data"])
    k = int(req["k"]) if req["method"] == "BATCH_ENSEMBLE" else 1
    model = build(req["arch"], k, float(req.get("dropout", 0.1)), split.classes)
    model.train()
    opt = optimizer(req["arch"], model.parameters())
    batch = int(req.get("batch", 128))
    augment = bool(req.get("augment", False))
    gen = torch.Generator().manual_seed(int(req.get("seed", 1)))
    epochs = int(req["epochs"])
    trace = req.get("profile")
    seconds = cpu = 0.0
    for epoch in range(epochs):
        # The last epoch's steps under torch.profiler (every op with input shapes, backward included), as the Java
        # side records libtorch's profiler through DJL: the two chrome traces are summarised by the same code.
        profiler = (torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU], record_shapes=True)
                    if trace and epoch == epochs - 1 else None)
        if profiler:
            profiler.__enter__()
        start = time.perf_counter()
        cpu_start = time.process_time()
        order = torch.randperm(split.n, generator=gen)
        for i in range(0, split.n, batch):
            x, y = split.batch(order[i:i + batch], augment, gen)
            if k > 1:
                x = x.repeat(k, *([1] * (x.dim() - 1)))
                y = y.repeat(k)
            loss = F.cross_entropy(model(x), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            loss.item()
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        if profiler:
            profiler.__exit__(None, None, None)
            write_trace(profiler, trace)
    return {"images_per_second": split.n / seconds, "epoch_seconds": seconds, "images_per_cpu_second": split.n / cpu, "torch": torch.__version__,
            "threads": torch.get_num_threads()}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--serve", action="store_true")
    p.add_argument("--data")
    p.add_argument("--arch", default="mnist-mlp")
    p.add_argument("--method", default="SINGLE")
    p.add_argument("--k", type=int, default=4)
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--augment", action="store_true")
    p.add_argument("--profile", help="write torch.profiler's chrome trace of the last epoch's steps here")
    a = p.parse_args()
    splits = {}
    if not a.serve:
        print(json.dumps(train(vars(a), splits)))
        return
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            answer = train(json.loads(line), splits)
        except Exception as e:  # the driver prints the message and stops
            answer = {"error": type(e).__name__ + ": " + str(e)}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
