import Charts
import Foundation
import Gallery
import Render
import Testing

/// The gallery drawn from fixed fixture data, compared with committed PNGs.
/// Goldens are drawn at scale 1 to stay small; the README uses scale 2.
@Suite("Golden images")
struct GoldenImageTests {
    static let canvas = try! CairoCanvas(scale: 1, software: "make-report golden test", pngCompression: 9)
    /// The diagrams' hundreds of antialiased edges compress poorly: their
    /// goldens are drawn at 0.8 to stay under 200 KB.
    static let diagramCanvas = try! CairoCanvas(scale: 0.8, software: "make-report golden test", pngCompression: 9)

    static func images() -> [GalleryImage] {
        Gallery.images(for: Fixture.run, testImages: Fixture.testImages, measurer: canvas.measurer)
    }

    @Test("each gallery picture matches its golden", arguments: ["training_accuracy", "network_architecture", "loss_curve", "confusion_matrix", "hidden_units", "misclassified"])
    func gallery(name: String) throws {
        let image = try #require(Self.images().first { $0.name == name })
        let canvas = name == "network_architecture" ? Self.diagramCanvas : Self.canvas
        try Golden.assertMatches(try canvas.render(image.scene, as: .png), named: name)
    }

    @Test("the architecture diagram with edges coloured by the trained weights")
    func weightedDiagram() throws {
        let image = Gallery.architecture(Fixture.run, testImages: Fixture.testImages, theme: .dark, measurer: Self.canvas.measurer, weighted: true)
        try Golden.assertMatches(try Self.diagramCanvas.render(image.scene, as: .png), named: "network_architecture_weighted")
    }

    @Test("the loss chart on a linear axis")
    func linearLoss() throws {
        let image = Gallery.loss(Fixture.run, theme: .dark, measurer: Self.canvas.measurer, logarithmic: false)
        try Golden.assertMatches(try Self.canvas.render(image.scene, as: .png), named: "loss_curve_linear")
    }

    @Test("accuracy charts of one epoch and of three hundred", arguments: [1, 300])
    func accuracyExtremes(epochs: Int) throws {
        let train = (0 ..< epochs).map { 0.95 - 0.85 * exp(-Double($0) / Double(max(epochs, 2)) * 6) }
        let test = train.enumerated().map { $1 - 0.01 * sin(Double($0)) }
        let chart = AccuracyChart.make(epochs: Array(0 ..< epochs), train: train, test: test, theme: .dark)
        let png = try Self.canvas.render(chart.scene(size: Size(800, 500), theme: .dark, measurer: Self.canvas.measurer), as: .png)
        try Golden.assertMatches(png, named: "training_accuracy_\(epochs)_epochs")
    }

    @Test("the goldens stay small")
    func goldenSizes() throws {
        let folder = Golden.folder(#filePath)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".png") }
        #expect(files.count >= 10)
        for file in files {
            let size = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(file).path)[.size] as! Int
            #expect(size < 200_000, "\(file) is \(size) bytes")
        }
    }

    // MARK: The tests have teeth

    /// The accuracy chart with one detail changed must not pass as the golden.
    @Test("a changed dash, colour or label fails the comparison", arguments: ["dash", "colour", "label"])
    func teeth(change: String) throws {
        var chart = AccuracyChart.make(epochs: Array(0 ..< 17), train: Fixture.train, test: Fixture.test, theme: .dark)
        switch change {
        case "dash": chart.series[1].dash = [2, 2]
        case "colour": chart.series[0].color = Color(hex: 0x44AA99)
        default: chart.series[1].name = "tests"
        }
        let png = try Self.canvas.render(chart.scene(size: Size(800, 500), theme: .dark, measurer: Self.canvas.measurer), as: .png)
        let golden = try PNG.decode(Array(Data(contentsOf: Golden.folder(#filePath).appendingPathComponent("training_accuracy.png"))))
        let comparison = ImageDiffing().compare(try PNG.decode(png), golden)
        #expect(comparison.changedPixels > 50, "\(comparison)")
        #expect(comparison.largestDifference > 1)
        #expect(comparison.boundingBox != nil)
    }

    @Test("a failing comparison writes actual, expected and diff images and names them")
    func artifacts() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("golden-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let goldens = folder.appendingPathComponent("__Goldens__")
        try FileManager.default.createDirectory(at: goldens, withIntermediateDirectories: true)
        func square(_ color: Color) throws -> [UInt8] {
            var scene = Scene(size: Size(20, 10), background: .black, title: "square")
            scene.add(.fill(.rectangle(Rect(x: 5, y: 2, width: 4, height: 4)), color))
            return try Self.canvas.render(scene, as: .png)
        }
        try Data(try square(.white)).write(to: goldens.appendingPathComponent("square.png"))
        let artifacts = folder.appendingPathComponent("artifacts")
        try Golden.assertMatches(try square(.white), named: "square", file: folder.appendingPathComponent("Fake.swift").path, artifacts: artifacts)
        try withKnownIssue {
            try Golden.assertMatches(try square(Color(hex: 0xFF0000)), named: "square", file: folder.appendingPathComponent("Fake.swift").path, artifacts: artifacts)
        } matching: { issue in
            let text = issue.comments.map(\.rawValue).joined()
            return text.contains("16 pixels differ") && text.contains("largest channel difference 255")
                && text.contains("bounding box x 5…8, y 2…5") && text.contains("square.diff.png")
        }
        for name in ["square.actual.png", "square.expected.png", "square.diff.png"] {
            #expect(FileManager.default.fileExists(atPath: artifacts.appendingPathComponent(name).path))
        }
        let diff = try PNG.decode(Array(Data(contentsOf: artifacts.appendingPathComponent("square.diff.png"))))
        #expect(Array(diff.rgba[(3 * 20 + 6) * 4 ..< (3 * 20 + 6) * 4 + 3]) == [255, 0, 0])
    }

    @Test("identical images compare equal and a one-level change is tolerated")
    func diffing() throws {
        let image = PNG.Image(width: 2, height: 1, rgba: [10, 20, 30, 255, 40, 50, 60, 255], text: [:])
        var nudged = image
        nudged.rgba[0] += 1
        #expect(ImageDiffing().compare(image, image).changedPixels == 0)
        #expect(ImageDiffing().compare(nudged, image).changedPixels == 0)
        nudged.rgba[5] += 2
        let comparison = ImageDiffing().compare(nudged, image)
        #expect(comparison.changedPixels == 1)
        #expect(comparison.largestDifference == 2)
        #expect(comparison.boundingBox! == (1, 0, 1, 1))
    }
}
