import Charts
import Gallery
import MNIST
import Render
import Testing

/// How the gallery is put together: names, order, and the pictures drawn
/// before training.
@Suite("Gallery")
struct GalleryTests {
    static let canvas = try! CairoCanvas(scale: 1, software: "make-report gallery test")

    @Test("the gallery is its names, in order, and each name draws that picture")
    func namesAndOrder() {
        let images = Gallery.images(
            for: InsideFixture.run, testImages: Fixture.testImages, inspection: InsideFixture.inspection, measurer: Self.canvas.measurer)
        #expect(images.map(\.name) == Gallery.names)
        for name in Gallery.names {
            let image = Gallery.image(
                named: name, for: InsideFixture.run, testImages: Fixture.testImages, inspection: InsideFixture.inspection,
                measurer: Self.canvas.measurer)
            #expect(image?.name == name)
        }
        // Without snapshots (or their inspection) the pictures of the network over time are left out.
        let plain = Gallery.images(for: Fixture.run, testImages: Fixture.testImages, measurer: Self.canvas.measurer)
        #expect(plain.map(\.name) == Gallery.names.filter { !Gallery.insideNames.contains($0) })
        #expect(Gallery.trainingFrames(Fixture.run, measurer: Self.canvas.measurer) == nil)
        #expect(Gallery.image(named: "no_such_picture", for: Fixture.run, testImages: Fixture.testImages, measurer: Self.canvas.measurer) == nil)
    }

    @Test("the diagram drawn before training is the one drawn from the run, down to the scene and the PNG bytes")
    func untrainedDiagram() throws {
        let run = Fixture.run
        let early = Gallery.untrainedImages(
            configuration: run.configuration, inputSize: run.network.inputSize, classCount: run.network.outputSize,
            testImages: Fixture.testImages, measurer: Self.canvas.measurer)
        let late = try #require(Gallery.image(named: "network_architecture", for: run, testImages: Fixture.testImages, measurer: Self.canvas.measurer))
        try #require(early.count == 1)
        #expect(early[0].name == late.name)
        #expect(early[0].title == late.title)
        #expect(early[0].lookFor == late.lookFor)
        #expect(early[0].scene.description == late.scene.description)
        #expect(early[0].scene.description.hasPrefix("Configuration: 784-50-10 sigmoid/softmax network"))
        #expect(early[0].scene == late.scene)
        #expect(try Self.canvas.render(early[0].scene, as: .png) == Self.canvas.render(late.scene, as: .png))
    }

    @Test("a diagram coloured by the trained weights waits for the run")
    func weightedDiagramWaits() {
        let run = Fixture.run
        let early = Gallery.untrainedImages(
            configuration: run.configuration, inputSize: run.network.inputSize, classCount: run.network.outputSize,
            testImages: Fixture.testImages, measurer: Self.canvas.measurer, options: GalleryOptions(weightedEdges: true))
        #expect(early.isEmpty)
    }
}
