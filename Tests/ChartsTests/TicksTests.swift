import Testing

@testable import Charts

@Suite("Ticks and scales")
struct TicksTests {
    @Test func unitInterval() {
        #expect(Ticks.linear(0 ... 1, target: 5).map(\.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }

    @Test("epoch ticks are whole numbers whatever the span", arguments: [1, 2, 17, 100, 350])
    func integerTicks(epochs: Int) {
        let ticks = Ticks.linear(0 ... Double(epochs - 1), target: 8, integers: true)
        #expect(ticks.allSatisfy { $0.value == $0.value.rounded() && !$0.label.contains(".") })
        #expect(ticks.count >= 1 && ticks.count <= 12)
    }

    @Test func steps() {
        #expect(Ticks.linear(0 ... 16, target: 8, integers: true).map(\.label) == ["0", "2", "4", "6", "8", "10", "12", "14", "16"])
        #expect(Ticks.linear(0.925 ... 0.95, target: 4).map(\.label) == ["0.93", "0.94", "0.95"])
        #expect(Ticks.linear(0 ... 10_000, target: 10).map(\.label).last == "10000")
        #expect(Ticks.niceStep(0.23) == 0.25)
    }

    @Test func logarithmic() {
        #expect(Ticks.logarithmic(0.04 ... 2.5).map(\.label) == ["0.05", "0.1", "0.2", "0.5", "1", "2"])
        #expect(Ticks.logarithmic(0.001 ... 1000, maximum: 9).map(\.label) == ["0.001", "0.01", "0.1", "1", "10", "100", "1000"])
    }

    @Test func scales() {
        let linear = Scale(domain: 0 ... 10, from: 100, to: 200)
        #expect(linear(5) == 150)
        let flipped = Scale(domain: 0 ... 1, from: 400, to: 0)
        #expect(flipped(0.25) == 300)
        let log = Scale(.logarithmic, domain: 0.1 ... 10, from: 0, to: 100)
        #expect(abs(log(1) - 50) < 1e-9)
    }
}

@Suite("Colours")
struct ColorTests {
    @Test("train and test colours differ in lightness as well as hue")
    func palette() {
        let theme = Theme.dark
        #expect(abs(theme.primary.lightness - theme.secondary.lightness) >= 10)
        #expect(theme.primary.contrast(with: theme.background) >= 4.5)
        #expect(theme.secondary.contrast(with: theme.background) >= 4.5)
        #expect(theme.text.contrast(with: theme.background) >= 12)
        #expect(theme.background.lightness < 10)
    }

    @Test func viridisEnds() {
        #expect(Colormap.viridis(0) == Color(hex: 0x440154))
        #expect(Colormap.viridis(1) == Color(hex: 0xFDE725))
        #expect(Colormap.viridis(.nan) == Color(hex: 0x440154))
        #expect(Colormap.viridis(0.5) == Color(hex: 0x21918C))
    }

    @Test func diverging() {
        let theme = Theme.dark
        #expect(theme.diverging(0) == theme.neutral)
        #expect(theme.diverging(1) == theme.positive)
        #expect(theme.diverging(-5) == theme.negative)
    }
}
