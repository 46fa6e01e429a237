import Charts
import Testing
import Trainer

@testable import Gallery

/// The sentence under each picture states what this run shows, in its own numbers.
@Suite("The gallery's sentences")
struct GallerySentencesTests {
    @Test("the accuracy sentence gives the run's first and final test accuracy and the gap")
    func accuracy() {
        let text = Sentences.accuracy(Fixture.run, hasInset: true)
        #expect(text == "Test accuracy rises from 10.28 % at iteration 0 to 94.30 % at epoch 16 (iteration 9,600); "
            + "the training curve ends 0.37 points above it, so what the network learned carries over to digits it never "
            + "saw. The inset zooms into the last 9 points.")
    }

    @Test("a wide gap is called overfitting, and a fall from the best point is said")
    func overfitting() {
        var run = Fixture.run
        run.epochs[16].trainAccuracy = 0.99
        run.epochs[16].testAccuracy = 0.93
        let text = Sentences.accuracy(run, hasInset: false)
        #expect(text.contains("the training curve ends 6.00 points above it: the network fits its training images better than new ones"))
        #expect(text.contains("Test accuracy peaked at 94.08 % at epoch 15 (iteration 9,000) and fell after it."))
        #expect(!text.contains("inset"))
    }

    @Test("points that are not epochs apart are named evaluations")
    func evaluations() {
        var run = Fixture.run
        run.configuration.evaluateEvery = 40
        run.configuration.batchSize = 50
        #expect(Sentences.accuracy(run, hasInset: false).contains("at evaluation 16 (iteration 9,600)"))
        let losses = run.losses.map(Double.init)
        let loss = Sentences.loss(run, movingAverage: LossChart.movingAverage(losses, window: 40))
        #expect(loss.contains("after the first 40 iterations"))
        #expect(loss.hasSuffix("The noise around the average is the price of batches of 50."))
    }

    @Test("the loss sentence reads the moving average after the first epoch and at the end")
    func loss() {
        let run = Fixture.run
        let average = LossChart.movingAverage(run.losses.map(Double.init), window: 600)
        let text = Sentences.loss(run, movingAverage: average)
        let expected = String(format: "The mini-batch loss starts at %.2f; its moving average is %.2f after the first epoch "
            + "(600 iterations) and %.3f at the end: a steep drop, then a slow descent.", run.losses[0], average[600], average.last!)
        #expect(text.hasPrefix(expected))
    }

    @Test("the misclassified digits' sentence names the run's hidden units")
    func hiddenUnits() throws {
        var run = Fixture.run
        run.network = TwoLayerNetwork(
            inputSize: 784, hiddenSize: 16, outputSize: 10, w1: .init(repeating: 0, count: 784 * 16), b1: .init(repeating: 0, count: 16),
            w2: .init(repeating: 0, count: 160), b2: .init(repeating: 0, count: 10))
        let image = Gallery.misclassified(run, testImages: Fixture.testImages, theme: .dark, measurer: ApproximateTextMeasurer(), count: 4)
        #expect(image.lookFor.contains("what a 16-unit network cannot yet see"))
    }
}
