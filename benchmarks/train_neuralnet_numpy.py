#!/usr/bin/env python3
"""The NumPy baseline for `make bench`: the book's two-layer-net recipe in float64.

Same recipe as make-report (784-50-10, sigmoid, softmax + cross-entropy with the
1e-7 guard, N(0, 0.01^2) weights, 10000 iterations of 100 images drawn with
replacement, learning rate 0.1, full-set accuracy every 600 iterations), written
the way the notebook writes it (oreilly-japan/deep-learning-from-scratch,
ch04/two_layer_net.py and train_neuralnet.py), plus what make-report also does:
read the gzip files and save the accuracy chart's numbers.

usage: train_neuralnet_numpy.py DATA_DIR [--seed N]
"""
import argparse
import gzip
import os
import sys
import time

import numpy as np


def load_images(path):
    with gzip.open(path, "rb") as f:
        data = np.frombuffer(f.read(), np.uint8, offset=16)
    return data.reshape(-1, 784).astype(np.float64) / 255.0


def load_labels(path):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=8).astype(np.int64)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    x = x - np.max(x, axis=-1, keepdims=True)
    e = np.exp(x)
    return e / np.sum(e, axis=-1, keepdims=True)


def cross_entropy_error(y, t):
    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, rng, weight_init_std=0.01):
        self.params = {
            "W1": weight_init_std * rng.standard_normal((input_size, hidden_size)),
            "b1": np.zeros(hidden_size),
            "W2": weight_init_std * rng.standard_normal((hidden_size, output_size)),
            "b2": np.zeros(output_size),
        }

    def predict(self, x):
        W1, W2, b1, b2 = self.params["W1"], self.params["W2"], self.params["b1"], self.params["b2"]
        return softmax(np.dot(sigmoid(np.dot(x, W1) + b1), W2) + b2)

    def loss(self, x, t):
        return cross_entropy_error(self.predict(x), t)

    def accuracy(self, x, t):
        return np.sum(np.argmax(self.predict(x), axis=1) == t) / float(x.shape[0])

    def gradient(self, x, t):
        W1, W2, b1, b2 = self.params["W1"], self.params["W2"], self.params["b1"], self.params["b2"]
        batch_num = x.shape[0]
        a1 = np.dot(x, W1) + b1
        z1 = sigmoid(a1)
        y = softmax(np.dot(z1, W2) + b2)
        dy = y.copy()
        dy[np.arange(batch_num), t] -= 1
        dy /= batch_num
        grads = {"W2": np.dot(z1.T, dy), "b2": np.sum(dy, axis=0)}
        dz1 = np.dot(dy, W2.T) * (1.0 - z1) * z1
        grads["W1"] = np.dot(x.T, dz1)
        grads["b1"] = np.sum(dz1, axis=0)
        return grads


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    start = time.perf_counter()
    d = args.data_dir
    x_train = load_images(os.path.join(d, "train-images-idx3-ubyte.gz"))
    t_train = load_labels(os.path.join(d, "train-labels-idx1-ubyte.gz"))
    x_test = load_images(os.path.join(d, "t10k-images-idx3-ubyte.gz"))
    t_test = load_labels(os.path.join(d, "t10k-labels-idx1-ubyte.gz"))

    rng = np.random.default_rng(args.seed)
    network = TwoLayerNet(784, 50, 10, rng)
    iters_num, batch_size, learning_rate = 10000, 100, 0.1
    iter_per_epoch = 600
    train_loss, train_acc, test_acc = [], [], []
    for i in range(iters_num):
        batch_mask = rng.choice(x_train.shape[0], batch_size)
        x_batch, t_batch = x_train[batch_mask], t_train[batch_mask]
        grad = network.gradient(x_batch, t_batch)
        for key in ("W1", "b1", "W2", "b2"):
            network.params[key] -= learning_rate * grad[key]
        train_loss.append(network.loss(x_batch, t_batch))
        if i % iter_per_epoch == 0:
            train_acc.append(network.accuracy(x_train, t_train))
            test_acc.append(network.accuracy(x_test, t_test))
    np.savetxt(sys.stdout, np.column_stack([train_acc, test_acc]), fmt="%.4f")
    print(f"train {train_acc[-1]:.4f} test {test_acc[-1]:.4f} "
          f"in {time.perf_counter() - start:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
