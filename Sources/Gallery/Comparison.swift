import Charts
import Foundation
import Sweep
import Trainer

/// The pictures of a sweep, each answering one question:
///
/// - `test_accuracy`: how does each run's test accuracy evolve, and where does it end?
/// - `small_multiples`: each run on its own, train against test (best first)?
/// - `final_accuracy`: how does the result depend on the settings? (a line over
///   one setting, a heatmap over two, parallel coordinates over more or a random search)
///
/// Runs that differ only in the seed are one group: its mean, with a min-max band.
public enum Comparison {
    /// The pictures' names, in report order.
    public static let names = ["test_accuracy", "final_accuracy", "small_multiples"]
    /// Panels in `small_multiples`; the rest are in the report's table only.
    public static let smallMultiplesLimit = 30
    /// Curves whose ends are labelled in `test_accuracy`; beyond it, the best five only.
    public static let labelledCurvesLimit = 27

    public static func images(_ results: SweepResults, theme: Theme = .dark, measurer: some TextMeasuring) -> [GalleryImage] {
        [testAccuracy(results, theme: theme, measurer: measurer), finalAccuracy(results, theme: theme, measurer: measurer),
         smallMultiples(results, theme: theme, measurer: measurer)]
    }

    // MARK: Colour and line style

    /// Colour encodes the first setting that differs between groups; line style the second, when it is a list.
    struct Encoding {
        var color: Setting?
        var colorBar: ColorBar?
        /// A grid's listed values, coloured evenly by rank; empty for a random search's drawn values, coloured by value.
        var colorValues: [Setting.Value] = []
        var dash: Setting?
        var dashValues: [Setting.Value] = []

        static let dashes: [[Double]] = [[], [7, 4], [2, 3], [10, 3, 2, 3], [1, 5]]

        init(_ results: SweepResults, theme: Theme) {
            let varying = results.varying
            color = varying.first
            if let setting = color {
                let colormap = Comparison.lineColors(theme)
                if results.plan.trials == nil {
                    // An ordinal scale: the listed values evenly spaced, so 0.1 and 1 stay apart beside 100.
                    colorValues = results.plan.choices[setting]!.values.sorted { $0.number < $1.number }
                    colorBar = ColorBar(
                        title: setting.name, colormap: colormap, domain: 0 ... Double(max(colorValues.count - 1, 1)),
                        marks: colorValues.enumerated().map { Tick(value: Double($0.offset), label: setting.text($0.element)) })
                } else {
                    let values = results.groups.map { setting.value(in: $0.configuration).number }
                    colorBar = ColorBar(
                        title: setting.name, colormap: colormap, domain: values.min()! ... max(values.max()!, values.min()!),
                        logarithmic: setting.isLogarithmic)
                }
            }
            if results.plan.trials == nil, varying.count >= 2, results.plan.choices[varying[1]]!.values.count <= Self.dashes.count {
                dash = varying[1]
                dashValues = results.plan.choices[varying[1]]!.values
            }
        }

        func color(_ group: RunGroup, theme: Theme) -> Color {
            guard let color, let colorBar else { return theme.secondary }
            let value = color.value(in: group.configuration)
            if !colorValues.isEmpty { return colorBar.color(Double(colorValues.firstIndex(of: value) ?? 0)) }
            return colorBar.color(value.number)
        }

        func dash(_ group: RunGroup) -> [Double] {
            guard let dash, let k = dashValues.firstIndex(of: dash.value(in: group.configuration)) else { return [] }
            return Self.dashes[k]
        }
    }

    /// viridis without its darkest quarter, which vanishes on the dark background.
    static func lineColors(_ theme: Theme) -> Colormap { theme.sequential.cropped(0.25, 1) }

    // MARK: test_accuracy

    static func testAccuracy(_ results: SweepResults, theme: Theme, measurer: some TextMeasuring) -> GalleryImage {
        let encoding = Encoding(results, theme: theme)
        let swept = results.plan.swept
        let ranked = results.ranked
        let labelled = results.groups.count <= labelledCurvesLimit
            ? results.groups.count : 5
        let labelledLabels = Set(ranked.prefix(labelled).map { $0.label(swept) })
        var series: [LineChart.Series] = []
        var bands: [LineChart.Band] = []
        // Drawn worst first, so the best curves lie on top.
        for group in ranked.reversed() {
            let color = encoding.color(group, theme: theme)
            let points = group.points.map { Point(Double($0.iteration), $0.test.mean) }
            if group.members.count > 1, group.points.count > 1 {
                bands.append(LineChart.Band(
                    lower: group.points.map { Point(Double($0.iteration), $0.test.minimum) },
                    upper: group.points.map { Point(Double($0.iteration), $0.test.maximum) }, color: color.withAlpha(0.16)))
            }
            let label = group.label(swept)
            let text: String = if let divergence = group.firstDivergence, group.diverged {
                "diverged at \(divergence.iteration)  \(label)"
            } else {
                String(format: "%.4f  %@", group.finalTest?.mean ?? .nan, label)
            }
            series.append(LineChart.Series(
                name: label, points: points, color: color, width: group.members == ranked.first?.members ? 2.6 : 1.7, dash: encoding.dash(group),
                marker: .none, inLegend: false, labelsEnd: labelledLabels.contains(label) && !points.isEmpty, endText: text,
                endMarker: group.diverged ? .cross : .none))
        }
        // The line styles' key (the colours have the colour bar).
        if let dash = encoding.dash {
            for (k, value) in encoding.dashValues.enumerated() {
                series.append(LineChart.Series(
                    name: "\(dash.shortName) \(dash.text(value))", points: [], color: theme.mutedText, width: 1.7, dash: Encoding.dashes[k]))
            }
        }
        var subtitle = results.plan.summary
        if results.hasSeedGroups { subtitle += "; mean over seeds with min-max band" }
        if labelled < results.groups.count { subtitle += "; the best \(labelled) labelled" }
        let chart = LineChart(
            title: "Test Accuracy of Every Run", subtitle: subtitle,
            xAxis: .init(label: "iteration", integerTicks: true), yAxis: .init(label: "test accuracy"),
            series: series, legend: encoding.dash == nil ? .hidden : .lowerRight,
            description: Sentences.testAccuracy(results), bands: bands, colorBar: encoding.colorBar)
        return GalleryImage(
            name: "test_accuracy", title: "Test accuracy of every run", lookFor: Sentences.testAccuracy(results),
            scene: chart.scene(size: Size(1000, 600), theme: theme, measurer: measurer))
    }

    // MARK: small_multiples

    static func smallMultiples(_ results: SweepResults, theme: Theme, measurer: some TextMeasuring) -> GalleryImage {
        let swept = results.plan.swept
        let shown = Array(results.ranked.prefix(smallMultiplesLimit))
        let best = results.best.map { $0.label(swept) }
        let panels = shown.map { group -> SmallMultiplesChart.Panel in
            let band = { (stat: KeyPath<RunGroup.Point, Statistic>) -> LineChart.Band? in
                guard group.members.count > 1 else { return nil }
                return LineChart.Band(
                    lower: group.points.map { Point(Double($0.iteration), $0[keyPath: stat].minimum) },
                    upper: group.points.map { Point(Double($0.iteration), $0[keyPath: stat].maximum) }, color: theme.text)
            }
            let note: String = if group.diverged, let d = group.firstDivergence {
                "diverged at \(d.iteration)"
            } else if let test = group.finalTest, let train = group.finalTrain {
                (group.members.count > 1 ? String(format: "%.4f ± %.4f", test.mean, test.standardDeviation) : String(format: "%.4f", test.mean))
                    + String(format: " (%+.2f)", (train.mean - test.mean) * 100)
            } else { "" }
            let label = group.label(swept)
            return SmallMultiplesChart.Panel(
                title: label.isEmpty ? "seeds \(group.seeds.map(String.init).joined(separator: ", "))" : label,
                train: group.points.map { Point(Double($0.iteration), $0.train.mean) },
                test: group.points.map { Point(Double($0.iteration), $0.test.mean) },
                trainBand: band(\.train), testBand: band(\.test), note: note, highlighted: label == best && !group.diverged,
                diverged: group.diverged)
        }
        let all = shown.flatMap { $0.points.flatMap { [$0.train.minimum, $0.test.minimum] } }
        let low = min(max(floor((all.min() ?? 0) * 10) / 10, 0), 0.9)
        let lastIteration = Double(results.runs.map { $0.configuration.iterations - 1 }.max() ?? 1)
        let lastPoint = Double(results.groups.flatMap { $0.points.map(\.iteration) }.max() ?? 1)
        let n = panels.count
        let columns = n <= 3 ? n : n <= 4 ? 2 : n <= 9 ? 3 : n <= 16 ? 4 : 5
        let rows = (n + columns - 1) / columns
        var subtitle = "best final test accuracy first; at each top right: final test accuracy (train − test, in points)"
        if results.groups.count > shown.count { subtitle += "; the best \(shown.count) of \(results.groups.count), the rest in the report's table" }
        if results.hasSeedGroups { subtitle += "; mean over seeds with min-max band" }
        let chart = SmallMultiplesChart(
            title: "Every Run, Train Against Test", subtitle: subtitle, xLabel: "iteration", yLabel: "accuracy", panels: panels,
            xDomain: 0 ... max(lastPoint, min(lastIteration, lastPoint), 1), yDomain: low ... 1, columns: columns,
            description: Sentences.smallMultiples(results))
        let width = columns <= 2 ? 800.0 : columns == 3 ? 960 : 1100
        let panelHeight = columns <= 2 ? 190.0 : 150
        return GalleryImage(
            name: "small_multiples", title: "Every run, train against test", lookFor: Sentences.smallMultiples(results),
            scene: chart.scene(size: Size(width, SmallMultiplesChart.height(rows: rows, panelHeight: panelHeight).rounded()), theme: theme,
                               measurer: measurer))
    }

    // MARK: final_accuracy

    /// "at the last evaluation point (iteration 9,600)".
    static func lastPoint(_ results: SweepResults) -> String {
        let last = results.runs.compactMap { $0.final?.iteration }.max() ?? 0
        return "at the last evaluation point (iteration \(last.formatted(.number.locale(Locale(identifier: "en_US")))))"
    }

    static func finalAccuracy(_ results: SweepResults, theme: Theme, measurer: some TextMeasuring) -> GalleryImage {
        let varying = results.varying
        let sentence = Sentences.finalAccuracy(results)
        let scene: Scene
        if results.plan.trials == nil, varying.count == 2 {
            scene = heatmap(results, rows: varying[0], columns: varying[1], theme: theme).scene(size: Size(760, 600), theme: theme, measurer: measurer)
        } else if results.plan.trials == nil, varying.count <= 1 {
            scene = finalLine(results, over: varying.first ?? .seed, theme: theme).scene(size: Size(800, 500), theme: theme, measurer: measurer)
        } else {
            scene = parallel(results, theme: theme).scene(size: Size(1000, 560), theme: theme, measurer: measurer)
        }
        var described = scene
        described.description = sentence
        return GalleryImage(name: "final_accuracy", title: "Final accuracy against the settings", lookFor: sentence, scene: described)
    }

    /// Final train and test accuracy over one setting (each seed its own point when only seeds vary).
    static func finalLine(_ results: SweepResults, over setting: Setting, theme: Theme) -> LineChart {
        // With only seeds swept, every run is its own point; otherwise one point per group. No statistics: diverged.
        typealias Entry = (x: Double, label: String, train: Statistic?, test: Statistic?)
        let entries: [Entry] = setting == .seed
            ? results.runs.map { run in
                (Double(run.configuration.seed), Setting.seed.label(in: run.configuration),
                 run.final.flatMap { Statistic([$0.trainAccuracy]) }, run.final.flatMap { Statistic([$0.testAccuracy]) })
            }
            : results.groups.map { ($0.configuration[setting], $0.label([setting]), $0.finalTrain, $0.finalTest) }
        let finished = entries.compactMap { e in e.train.flatMap { train in e.test.map { (x: e.x, train: train, test: $0) } } }
            .sorted { $0.x < $1.x }
        let parts: [([Statistic], Color)] = [(finished.map(\.train), theme.primary), (finished.map(\.test), theme.secondary)]
        let bands = !results.hasSeedGroups ? [] : parts.map { statistics, color in
            LineChart.Band(lower: zip(finished, statistics).map { Point($0.x, $1.minimum) },
                           upper: zip(finished, statistics).map { Point($0.x, $1.maximum) }, color: color.withAlpha(0.18))
        }
        let series = [
            LineChart.Series(name: "train", points: finished.map { Point($0.x, $0.train.mean) }, color: theme.primary, marker: .circle, labelsEnd: true),
            LineChart.Series(name: "test", points: finished.map { Point($0.x, $0.test.mean) }, color: theme.secondary, dash: [6, 3],
                             marker: .square, labelsEnd: true),
        ]
        var subtitle = lastPoint(results) + (results.hasSeedGroups ? "; mean over seeds with min-max band" : "")
        let diverged = entries.filter { $0.test == nil }.map(\.label)
        if !diverged.isEmpty { subtitle += "; diverged: " + diverged.joined(separator: ", ") }
        return LineChart(
            title: "Final Accuracy Against the \(setting.name.split(separator: " ").map { String($0).capitalizedFirst }.joined(separator: " "))", subtitle: subtitle,
            xAxis: .init(label: setting.name, kind: setting.isLogarithmic ? .logarithmic : .linear, integerTicks: setting != .learningRate),
            yAxis: .init(label: "accuracy"), series: series, legend: .lowerRight, bands: bands)
    }


    /// Final test accuracy over two settings, the best cell outlined.
    static func heatmap(_ results: SweepResults, rows: Setting, columns: Setting, theme: Theme) -> HeatmapChart {
        let rowValues = results.plan.choices[rows]!.values, columnValues = results.plan.choices[columns]!.values
        let best = results.best
        var highlighted: (row: Int, column: Int)?
        let cells = rowValues.enumerated().map { i, r in
            columnValues.enumerated().map { j, c -> HeatmapChart.Cell in
                guard let group = results.groups.first(where: { rows.value(in: $0.configuration) == r && columns.value(in: $0.configuration) == c })
                else { return HeatmapChart.Cell(value: nil, lines: ["–"]) }
                if let best, best.members == group.members { highlighted = (i, j) }
                guard let test = group.finalTest else {
                    return HeatmapChart.Cell(value: nil, lines: ["diverged", "at \(group.firstDivergence?.iteration ?? 0)"])
                }
                var lines = [String(format: "%.4f", test.mean)]
                if group.members.count > 1 { lines.append(String(format: "± %.4f (%d seeds)", test.standardDeviation, test.count)) }
                if !group.divergences.isEmpty { lines.append("\(group.divergences.count) diverged") }
                return HeatmapChart.Cell(value: test.mean, lines: lines)
            }
        }
        let values = cells.joined().compactMap(\.value)
        let low = values.min() ?? 0, high = values.max() ?? 1
        return HeatmapChart(
            title: "Final Test Accuracy", subtitle: lastPoint(results) + (results.hasSeedGroups ? "; mean ± standard deviation over seeds" : "")
                + "; best outlined",
            rowTitle: rows.name, columnTitle: columns.name, rows: rowValues.map(rows.text), columns: columnValues.map(columns.text), cells: cells,
            highlighted: highlighted,
            colorBar: ColorBar(title: "test accuracy", colormap: theme.sequential, domain: low ... (high > low ? high : low + 1e-3)))
    }

    /// Parallel coordinates: an axis per setting, one for test accuracy; a line per group.
    static func parallel(_ results: SweepResults, theme: Theme) -> ParallelCoordinatesChart {
        let settings = results.varying.isEmpty ? [Setting.seed] : results.varying
        let groups = results.groups
        let best = results.best
        var axes = settings.map { setting -> ParallelCoordinatesChart.Axis in
            let values = groups.map { $0.configuration[setting] }
            let (low, high) = (values.min()!, values.max()!)
            // 4 % of the span beyond the extremes, so that no line runs into an axis end.
            let domain: ClosedRange<Double> = if setting.isLogarithmic {
                high > low ? low / pow(high / low, 0.04) ... high * pow(high / low, 0.04) : low / 2 ... high * 2
            } else {
                high > low ? low - (high - low) * 0.04 ... high + (high - low) * 0.04 : low - 1 ... high + 1
            }
            let listed = results.plan.choices[setting]!.values
            let ticks: [Tick]? = listed.count > 1 && listed.count <= 8 ? listed.map { Tick(value: $0.number, label: setting.text($0)) } : nil
            return .init(title: setting.name, domain: domain, logarithmic: setting.isLogarithmic, ticks: ticks)
        }
        let accuracies = groups.compactMap { $0.finalTest?.mean }
        let low = accuracies.min() ?? 0, high = accuracies.max() ?? 1
        let domain = low ... (high > low ? high : low + 1e-3)
        axes.append(.init(title: "test accuracy", domain: domain))
        let lines = groups.map { group in
            ParallelCoordinatesChart.Line(
                values: settings.map { group.configuration[$0] } + [group.finalTest?.mean],
                highlighted: best.map { $0.members == group.members } ?? false)
        }
        let diverged = groups.filter(\.diverged).count
        var subtitle = results.plan.summary
        if diverged > 0 { subtitle += "; \(diverged) diverged (dashed)" }
        return ParallelCoordinatesChart(
            title: "Final Test Accuracy Against the Settings", subtitle: subtitle, axes: axes, lines: lines,
            colorBar: ColorBar(title: "test accuracy", colormap: lineColors(theme), domain: domain))
    }
}

extension TrainingConfiguration {
    /// A setting's value as a number on an axis.
    subscript(setting: Setting) -> Double { setting.value(in: self).number }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
