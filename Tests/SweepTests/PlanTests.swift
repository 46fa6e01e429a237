import Sweep
import Testing
import Trainer

@Suite("Parsing a recipe option")
struct ChoiceTests {
    @Test("a single value, a list and a range")
    func forms() throws {
        #expect(try Choice.parse("0.1", for: .learningRate) == .values([.real(0.1)]))
        #expect(try Choice.parse("0.01, 0.1,0.5", for: .learningRate) == .values([.real(0.01), .real(0.1), .real(0.5)]))
        #expect(try Choice.parse("25,50,100", for: .hiddenSize) == .values([.whole(25), .whole(50), .whole(100)]))
        #expect(try Choice.parse("0.001...1", for: .learningRate) == .range(.real(0.001), .real(1)))
        #expect(try Choice.parse("10...200", for: .hiddenSize) == .range(.whole(10), .whole(200)))
        #expect(try Choice.parse("18446744073709551615,0", for: .seed) == .values([.whole(.max), .whole(0)]))
    }

    @Test("every bad item is named with its option", arguments: [
        (Setting.learningRate, "0.1,,0.5", "--learning-rate: empty item in 0.1,,0.5"),
        (.learningRate, "0.1,", "--learning-rate: empty item in 0.1,"),
        (.learningRate, "0.1,fast", "--learning-rate: fast is not a number"),
        (.learningRate, "0.1,0", "--learning-rate: 0 must be a finite number above 0"),
        (.learningRate, "inf", "--learning-rate: inf must be a finite number above 0"),
        (.learningRate, "0.1,0.10", "--learning-rate: 0.10 is given twice in 0.1,0.10"),
        (.hiddenSize, "25,2.5", "--hidden: 2.5 is not a whole number"),
        (.hiddenSize, "25,0", "--hidden: 0 must be at least 1"),
        (.hiddenSize, "50,50", "--hidden: 50 is given twice in 50,50"),
        (.batchSize, "100,99999999", "--batch-size: 99999999 must be at most 16777216"),
        (.iterations, "-5", "--iterations: -5 must be at least 1"),
        (.seed, "1,-2", "--seed: -2 is not a whole number from 0 to 18446744073709551615"),
        (.seed, "1...5", "--seed: a range of seeds (1...5) is not allowed; list them, as in --seed 1,2,3"),
        (.learningRate, "1...0.001", "--learning-rate: the range 1...0.001 must go from low to high"),
        (.hiddenSize, "10...", "--hidden: the range 10... needs a number at each end"),
    ])
    func badItems(setting: Setting, text: String, message: String) {
        #expect(throws: SweepError(message)) { try Choice.parse(text, for: setting) }
    }
}

@Suite("The runs a command asks for")
struct PlanTests {
    static func plan(_ options: [Setting: String], trials: Int? = nil) throws -> SweepPlan {
        var choices: [Setting: Choice] = [:]
        for (setting, text) in options { choices[setting] = try Choice.parse(text, for: setting) }
        return try SweepPlan(choices: choices, trials: trials)
    }

    @Test("single values are one run of exactly that configuration, not a comparison")
    func single() throws {
        let plan = try Self.plan([.learningRate: "0.1", .hiddenSize: "50", .seed: "7"])
        #expect(!plan.isComparison)
        var expected = TrainingConfiguration()
        expected.seed = 7
        #expect(plan.configurations == [expected])
    }

    @Test("lists give the Cartesian product, the learning rate slowest and the seed fastest")
    func product() throws {
        let plan = try Self.plan([.seed: "1,2", .learningRate: "0.01,0.1", .hiddenSize: "25,50,100"])
        #expect(plan.isComparison)
        #expect(plan.swept == [.learningRate, .hiddenSize, .seed])
        #expect(plan.configurations.count == 12)
        let triples = plan.configurations.map { "\($0.learningRate) \($0.hiddenSize) \($0.seed)" }
        #expect(Array(triples.prefix(4)) == ["0.01 25 1", "0.01 25 2", "0.01 50 1", "0.01 50 2"])
        #expect(triples.last == "0.1 100 2")
        #expect(plan.configurations.allSatisfy { $0.iterations == 10_000 && $0.batchSize == 100 && $0.evaluateEvery == 600 })
        #expect(plan.summary == "learning rate 0.01, 0.1 × hidden units 25, 50, 100 × seed 1, 2 = 12 runs")
    }

    @Test("a random search draws the same trials from the same seed, inside the ranges, log-uniformly for the learning rate")
    func randomSearch() throws {
        let options: [Setting: String] = [.learningRate: "0.001...1", .hiddenSize: "10...200", .batchSize: "50,100"]
        let a = try Self.plan(options, trials: 200), b = try Self.plan(options, trials: 200)
        #expect(a.configurations == b.configurations)
        #expect(a.swept == [.learningRate, .hiddenSize, .batchSize])
        let rates = a.configurations.map(\.learningRate), hidden = a.configurations.map(\.hiddenSize)
        #expect(rates.allSatisfy { (0.001 ... 1).contains($0) })
        #expect(hidden.allSatisfy { (10 ... 200).contains($0) })
        #expect(Set(a.configurations.map(\.batchSize)) == [50, 100])
        // Log-uniform: about a third of the draws in each decade.
        for decade in [0.001 ..< 0.01, 0.01 ..< 0.1, 0.1 ..< 1.0] {
            #expect((45 ... 90).contains(rates.count { decade.contains($0) }), "\(decade)")
        }
        var other = options
        other[.seed] = "43"
        #expect(try Self.plan(other, trials: 200).configurations.map(\.learningRate) != rates, "another seed draws other trials")
    }

    @Test("each trial runs once per listed seed, drawn with the first")
    func trialsTimesSeeds() throws {
        let plan = try Self.plan([.learningRate: "0.01...1", .seed: "5,6,7"], trials: 4)
        #expect(plan.configurations.count == 12)
        #expect(plan.configurations.map(\.seed) == Array(repeating: [5, 6, 7], count: 4).flatMap { $0 })
        #expect(plan.configurations[0].learningRate == plan.configurations[2].learningRate)
        #expect(try Self.plan([.learningRate: "0.01...1", .seed: "5"], trials: 4).configurations.map(\.learningRate)
            == stride(from: 0, to: 12, by: 3).map { plan.configurations[$0].learningRate })
    }

    @Test("ranges need --trials, --trials needs a range, and more than 256 runs is refused")
    func refusals() {
        #expect(throws: SweepError("--learning-rate: a range (0.001...1) needs --trials, the number of runs to draw")) {
            try Self.plan([.learningRate: "0.001...1"])
        }
        #expect(throws: SweepError("--trials needs a range to draw from, such as --learning-rate 0.001...1 or --hidden 10...200")) {
            try Self.plan([.learningRate: "0.01,0.1"], trials: 5)
        }
        #expect(throws: SweepError("--trials must be at least 1, got 0")) { try Self.plan([.hiddenSize: "10...20"], trials: 0) }
        let many = (1 ... 20).map(String.init).joined(separator: ",")
        #expect(throws: SweepError(
            "the sweep would train 300 runs (--hidden 20 values × --iterations 15 values), more than 256; give fewer values")) {
            try Self.plan([.hiddenSize: many, .iterations: (1 ... 15).map(String.init).joined(separator: ",")])
        }
        #expect(throws: SweepError("the sweep would train 257 runs (--trials 257), more than 256; give fewer values")) {
            try Self.plan([.hiddenSize: "10...20"], trials: 257)
        }
        #expect(throws: Never.self) { try Self.plan([.hiddenSize: many, .seed: (1 ... 12).map(String.init).joined(separator: ",")]) }
    }
}
