import Charts
import Foundation
import Gallery
import Render
import Fixtures
import Sweep
import Testing

/// The comparison pictures from fixture sweeps: one, two and three swept
/// settings, a group of seeds with its band, a random search, diverged runs.
@Suite("Golden images of a comparison")
struct ComparisonGoldenTests {
    static let canvas = GoldenImageTests.canvas

    static let grid = SweepFixture.results([.learningRate: "0.01,0.1,0.5", .hiddenSize: "25,50,100"])
    static let seeds = SweepFixture.results([.learningRate: "0.05,0.2,1,8", .seed: "1,2,3"])
    static let three = SweepFixture.results([.learningRate: "0.05,0.5,6", .hiddenSize: "25,100", .batchSize: "50,200"])
    static let search = SweepFixture.results([.learningRate: "0.001...1", .hiddenSize: "10...200"], trials: 40)

    static func image(_ name: String, of results: SweepResults) throws -> GalleryImage {
        try #require(Comparison.images(results, measurer: canvas.measurer).first { $0.name == name })
    }

    @Test("a learning-rate × hidden-units grid: curves coloured by rate with a line style per width, the heatmap, small multiples",
          arguments: ["test_accuracy", "final_accuracy", "small_multiples"])
    func grid(name: String) throws {
        try Golden.assertMatches(try Self.canvas.render(try Self.image(name, of: Self.grid).scene, as: .png), named: "compare_grid_\(name)")
    }

    @Test("one setting over three seeds: means with min-max bands, and a diverged rate marked",
          arguments: ["test_accuracy", "final_accuracy"])
    func seedGroups(name: String) throws {
        try Golden.assertMatches(try Self.canvas.render(try Self.image(name, of: Self.seeds).scene, as: .png), named: "compare_seeds_\(name)")
    }

    @Test("three settings and a random search: parallel coordinates")
    func parallel() throws {
        try Golden.assertMatches(
            try Self.canvas.render(try Self.image("final_accuracy", of: Self.three).scene, as: .png), named: "compare_three_final_accuracy")
        try Golden.assertMatches(
            try Self.canvas.render(try Self.image("final_accuracy", of: Self.search).scene, as: .png), named: "compare_search_final_accuracy")
    }

    @Test("the chart each sweep gets, and what it says")
    func choices() throws {
        #expect(try Self.image("final_accuracy", of: Self.grid).scene.title == "Final Test Accuracy")
        #expect(try Self.image("final_accuracy", of: Self.seeds).scene.title == "Final Accuracy Against the Learning Rate")
        #expect(try Self.image("final_accuracy", of: Self.three).scene.title == "Final Test Accuracy Against the Settings")
        let grid = try Self.image("final_accuracy", of: Self.grid)
        let best = try #require(Self.grid.best)
        #expect(grid.lookFor.hasPrefix(String(format: "Best: %@, at %.4f final test accuracy", best.label(Self.grid.plan.swept), best.finalTest!.mean)))
        // Every heatmap cell has its value written in it.
        let texts = Set(grid.scene.texts.map(\.0))
        for group in Self.grid.groups { #expect(texts.contains(String(format: "%.4f", group.finalTest!.mean))) }
        let seeds = try Self.image("test_accuracy", of: Self.seeds)
        #expect(seeds.scene.texts.contains { $0.0.hasPrefix("diverged at 1017") })
        #expect(seeds.lookFor.contains("3 of 12 runs diverged (lr 8, seed 1 at iteration 1017"))
        // More groups than the small multiples show are pointed out under the picture.
        #expect(try Self.image("small_multiples", of: Self.search).lookFor.hasSuffix(
            " Only the best 30 of 40 are drawn; the report's table has them all."))
        #expect(try !Self.image("small_multiples", of: Self.grid).lookFor.contains("Only the best"))
    }

    @Test("27 labelled curves never overlap and stay beside the plot")
    func manyCurves() throws {
        let results = SweepFixture.results([.learningRate: "0.05,0.1,0.5", .hiddenSize: "25,50,100", .batchSize: "50,100,200"])
        let scene = try Self.image("test_accuracy", of: results).scene
        let ends = scene.texts.filter { $0.0.contains("lr ") }.map(\.1.y).sorted()
        #expect(ends.count == 27)
        let size = Theme.dark.annotationSize * FontMetrics.lineHeight
        #expect(zip(ends, ends.dropFirst()).allSatisfy { $1 - $0 >= size - 1e-6 })
        // Below the title block, above the x axis.
        #expect(ends.first! > Scene.headerBottom(theme: .dark, subtitle: true, padding: 18) + size / 2 && ends.last! < 600 - 60)
    }
}
