import Foundation
import MNIST
import Trainer
import Dispatch
let t0 = DispatchTime.now()
let d = try Dataset.load(from: "data/mnist")
let t1 = DispatchTime.now()
print("load", Double(t1.uptimeNanoseconds - t0.uptimeNanoseconds)/1e9)
var c = TrainingConfiguration()
c.evaluateInBackground = false; c.evaluateEvery = 100000; if let h = ProcessInfo.processInfo.environment["HIDDEN"] { c.hiddenSize = Int(h)! }
let run = try Trainer(configuration: c).train(on: d)
print(run.timings)
for e in run.epochs { print(e.epoch, e.trainAccuracy, e.testAccuracy, e.loss) }
print(run.predictions.accuracy)
