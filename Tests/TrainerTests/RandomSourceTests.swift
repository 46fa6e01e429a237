import Testing

@testable import Trainer

@Suite("Random source")
struct RandomSourceTests {
    @Test("SplitMix64 seeding and xoshiro256** match the reference algorithms")
    func referenceValues() {
        // SplitMix64 from seed 0 gives 0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, ... (Vigna's splitmix64.c);
        // xoshiro256** with that state: result = rotl(s1 * 5, 7) * 9.
        var random = RandomSource(seed: 0)
        let s1: UInt64 = 0x6E78_9E6A_A1B9_65F4
        let expected = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        #expect(random.next() == expected)
    }

    @Test("the same seed gives the same stream, another seed another")
    func determinism() {
        var a = RandomSource(seed: 42), b = RandomSource(seed: 42), c = RandomSource(seed: 43)
        let xs = (0 ..< 100).map { _ in a.next() }
        #expect(xs == (0 ..< 100).map { _ in b.next() })
        #expect(xs != (0 ..< 100).map { _ in c.next() })
    }

    @Test("uniform indices cover the range evenly")
    func uniformIndex() {
        var random = RandomSource(seed: 7)
        var counts = [Int](repeating: 0, count: 10)
        for _ in 0 ..< 100_000 { counts[random.uniformIndex(below: 10)] += 1 }
        // Each count is Binomial(100000, 0.1): sd ≈ 95, so ±500 is over 5 sd.
        #expect(counts.allSatisfy { abs($0 - 10_000) < 500 }, "\(counts)")
        #expect((0 ..< 1000).allSatisfy { _ in random.uniformIndex(below: 3) < 3 })
    }

    @Test("normals have mean 0 and variance 1")
    func normals() {
        var random = RandomSource(seed: 1)
        let n = 200_000
        let xs = (0 ..< n).map { _ in random.normal() }
        let mean = xs.reduce(0, +) / Double(n)
        let variance = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n - 1)
        #expect(abs(mean) < 0.01)
        #expect(abs(variance - 1) < 0.02)
        #expect(Double(xs.count { abs($0) < 1 }) / Double(n) > 0.677 && Double(xs.count { abs($0) < 1 }) / Double(n) < 0.689)
    }
}
