#!/usr/bin/env python3
"""The NumPy baseline for `make bench`: the book's two-layer-net recipe in float64.

Same recipe as make-report (784-50-10, sigmoid, softmax + cross-entropy with the
1e-7 guard, N(0, 0.01^2) weights, 10000 iterations of 100 images drawn with
replacement, learning rate 0.1, full-set accuracy every 600 iterations), written
the way the notebook writes it (oreilly-japan/deep-learning-from-scratch,
ch04/two_layer_net.py and train_neuralnet.py), plus what make-report also does:
read the gzip files and save the accuracy chart's numbers.

With --cache PATH it loads data the way the book's dataset/mnist.py does: from a
pickle of the decoded uint8 arrays (its mnist.pkl), written from the gzip files on
the first run; make-report's own cache is the counterpart.

The recipe options make-report takes (--learning-rate, --hidden, --batch-size,
--iterations, --eval-every) change it the same way, so that `make bench` can time
the NumPy baseline on a sweep's configurations, one after another.

usage: train_neuralnet_numpy.py DATA_DIR [--seed N] [--cache PATH] [--learning-rate R]
       [--hidden N] [--batch-size N] [--iterations N] [--eval-every N]
"""
import argparse
import gzip
import os
import pickle
import sys
import time

import numpy as np

FILES = {"train_img": "train-images-idx3-ubyte.gz", "train_label": "train-labels-idx1-ubyte.gz",
         "test_img": "t10k-images-idx3-ubyte.gz", "test_label": "t10k-labels-idx1-ubyte.gz"}


def read_idx(path, offset):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


def load_mnist(data_dir, cache=None):
    """The four arrays as uint8 (images 784 wide), from `cache` when it exists."""
    if cache and os.path.exists(cache):
        with open(cache, "rb") as f:
            return pickle.load(f)
    dataset = {key: read_idx(os.path.join(data_dir, name), 16 if key.endswith("img") else 8)
               for key, name in FILES.items()}
    for key in ("train_img", "test_img"):
        dataset[key] = dataset[key].reshape(-1, 784)
    if cache:
        with open(cache + ".tmp", "wb") as f:
            pickle.dump(dataset, f, -1)
        os.replace(cache + ".tmp", cache)
    return dataset


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
    parser.add_argument("--cache", help="pickle of the decoded arrays (the book's mnist.pkl)")
    parser.add_argument("--learning-rate", type=float, default=0.1)
    parser.add_argument("--hidden", type=int, default=50)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--iterations", type=int, default=10000)
    parser.add_argument("--eval-every", type=int, default=600)
    args = parser.parse_args()
    start = time.perf_counter()
    dataset = load_mnist(args.data_dir, args.cache)
    x_train, x_test = (dataset[key].astype(np.float64) / 255.0 for key in ("train_img", "test_img"))
    t_train, t_test = (dataset[key].astype(np.int64) for key in ("train_label", "test_label"))

    rng = np.random.default_rng(args.seed)
    network = TwoLayerNet(784, args.hidden, 10, rng)
    iters_num, batch_size, learning_rate = args.iterations, args.batch_size, args.learning_rate
    iter_per_epoch = args.eval_every
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
