import Charts
import Foundation
import Gallery
import Render
import Testing

/// The pictures of the network over time, from fixture snapshots, and the
/// animation's first and last frames decoded from its GIF.
@Suite("Golden images of the network over time")
struct InsideGoldenTests {
    static let canvas = GoldenImageTests.canvas

    @Test("each picture of the network over time matches its golden", arguments: ["weight_distributions", "hidden_activations", "hidden_projection"])
    func picture(name: String) throws {
        let image = try #require(Gallery.image(
            named: name, for: InsideFixture.run, testImages: Fixture.testImages, inspection: InsideFixture.inspection,
            measurer: Self.canvas.measurer))
        try Golden.assertMatches(try Self.canvas.render(image.scene, as: .png), named: name)
    }

    static func animation() throws -> (gif: [UInt8], frames: Int) {
        let scenes = try #require(Gallery.trainingFrames(InsideFixture.run, measurer: canvas.measurer))
        let gif = try GIF.animation(
            scenes, canvas: canvas, delay: Gallery.frameDelay, lastDelay: Gallery.lastFrameDelay, fixed: Theme.dark.divergingRamp(128))
        return (gif, scenes.count)
    }

    @Test("the animation: a frame per evaluation point, the last held, the same bytes every time, first and last frames as their goldens")
    func animationFrames() throws {
        let (gif, count) = try Self.animation()
        #expect(count == 17)
        #expect(gif.starts(with: Array("GIF89a".utf8)))
        #expect(try Self.animation().gif == gif, "the same frames give the same bytes")
        let frames = try GIF.decode(gif)
        #expect(frames.count == 17)
        #expect(frames.dropLast().allSatisfy { $0.delay == 25 } && frames.last?.delay == 250)
        #expect(frames.allSatisfy { $0.width == 800 && $0.height == 400 })
        for (index, name) in [(0, "training_frame_first"), (16, "training_frame_last")] {
            let frame = frames[index]
            let png = try PNG.encode(pixels: frame.rgba, width: frame.width, height: frame.height, channels: 4, text: [], compression: 9)
            try Golden.assertMatches(png, named: name)
        }
        // The palette keeps the picture: every decoded pixel is within a few levels of the drawn one.
        let drawn = try Self.canvas.rasterize(try #require(Gallery.trainingFrames(InsideFixture.run, measurer: Self.canvas.measurer)?.last))
        var total = 0, far = 0
        for i in stride(from: 0, to: drawn.rgba.count, by: 4) {
            let d = (0 ..< 3).map { abs(Int(drawn.rgba[i + $0]) - Int(frames[16].rgba[i + $0])) }.max()!
            total += d
            if d > 12 { far += 1 }
        }
        let pixels = Double(drawn.rgba.count / 4)
        #expect(Double(total) / pixels < 2.5, "mean channel error \(Double(total) / pixels)")
        #expect(Double(far) / pixels < 0.005, "\(far) pixels more than 12 levels off")
    }

    @Test("more kept points than frames: the animation samples them evenly, first and last included")
    func sampledFrames() throws {
        var run = InsideFixture.run
        let snapshots = run.snapshots
        run.snapshots = (0 ..< 130).map { k in snapshots[k * 16 / 129] }
        let scenes = try #require(Gallery.trainingFrames(run, measurer: Self.canvas.measurer))
        #expect(scenes.count == Gallery.maximumFrames)
        #expect(Gallery.animationLookFor(run, frames: scenes.count).contains("60 of the 130 kept points, spread evenly"))
    }
}
