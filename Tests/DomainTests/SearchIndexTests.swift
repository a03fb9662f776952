import Domain
import Testing

@Suite struct SearchIndexTests {
    func catalogue() -> SearchIndex {
        var index = SearchIndex()
        let docs: [(Int, String, String)] = [
            (1, "Робототехника для начинающих", "Конструирование и программирование роботов LEGO"),
            (2, "Шахматы", "Шахматный кружок: дебюты, тактика, турниры"),
            (3, "Живопись и рисунок", "Акварель, гуашь, основы композиции"),
            (4, "Эстрадный вокал", "Постановка голоса, работа с микрофоном"),
            (5, "Футбол", "Тренировки и соревнования для мальчиков и девочек"),
            (6, "Юные туристы-краеведы", "Походы по Кузбассу, краеведение"),
            (8, "Бисероплетение", "Украшения из бисера и стекляруса"),
            (9, "Театральная студия", "Актёрское мастерство, сценическая речь"),
        ]
        for (id, name, annotation) in docs {
            index.add(id: id, fields: [.init(name, weight: 3), .init(annotation, weight: 1)])
        }
        index.optimize()
        index.add(id: 7, fields: [.init("Хореография", weight: 3)])  // after optimize: found through the unsorted tail
        return index
    }

    @Test func inflectedFormsFindEachOther() {
        let index = catalogue()
        #expect(index.search("робототехникой").first?.id == 1)
        #expect(index.search("шахматный кружок").first?.id == 2)
        #expect(index.search("шахматы").first?.id == 2)
        #expect(index.search("живописью").first?.id == 3)
        #expect(index.search("вокалом").first?.id == 4)
        #expect(index.search("краеведением").first?.id == 6)
        #expect(index.search("бисероплетению").first?.id == 8)
        #expect(index.search("бисер").first?.id == 8)
        #expect(index.search("плетение").isEmpty)
        #expect(index.search("театр").first?.id == 9)  // a long extension of a longer stem: a derived word
        #expect(index.search("хореографией").first?.id == 7)
    }

    @Test func oneWrongLetterInALongerWordIsForgiven() {
        let index = catalogue()
        #expect(index.search("робототехнека").first?.id == 1)   // wrong letter
        #expect(index.search("футбоол").first?.id == 5)         // extra letter
        #expect(index.search("шахмты").first?.id == 2)          // missing letter
        #expect(index.search("кот").isEmpty)                    // short words need the exact stem
    }

    @Test func exactStemsRankAboveLooserMatchesAndFiltersApply() {
        var index = SearchIndex()
        index.add(id: 1, fields: [.init("Шахматный клуб", weight: 3)])
        index.add(id: 2, fields: [.init("Шахматы", weight: 3)])
        let hits = index.search("шахматы")
        #expect(hits.map(\.id) == [2, 1])
        #expect(index.search("шахматы", filter: { $0 != 2 }).map(\.id) == [1])
        index.remove(id: 2)
        #expect(index.search("шахматы").map(\.id) == [1])
        index.add(id: 1, fields: [.init("Футбол", weight: 3)])
        #expect(index.search("шахматы").isEmpty)
        #expect(index.count == 1)
    }
}

@Suite struct SearchIndexPruningTests {
    /// The pruned top-k (impact-ordered lists for one token, MaxScore for several) gives the same scores as
    /// scoring every match, on an index large enough for pruning, with and without a filter and after changes.
    @Test func prunedTopEqualsExhaustiveScoring() {
        var rng = SeededRandom(seed: 7)
        let common = ["программа", "обучение", "дети", "занятия"]
        let rare = ["робототехника", "шахматы", "хореография", "вокал", "плавание", "керамика", "астрономия", "журналистика",
                    "скалолазание", "флористика", "анимация", "оригами"]
        var index = SearchIndex()
        for id in 0..<9000 {
            var words = [rng.pick(common), rng.pick(common)]
            for _ in 0..<Int.random(in: 0...6, using: &rng) { words.append(rng.pick(rare)) }
            if Int.random(in: 0..<3, using: &rng) == 0 { words.append(rng.pick(common)) }
            index.add(id: id, fields: [.init(words.prefix(3).joined(separator: " "), weight: 3), .init(words.joined(separator: " "), weight: 1)])
        }
        index.optimize()
        for id in stride(from: 0, to: 9000, by: 97) { index.add(id: id, fields: [.init("программа шахматы", weight: 3)]) }  // replaced after optimize
        index.add(id: 20_000, fields: [.init("Программа обучения керамике детей", weight: 3)])
        let queries = ["программа", "программы обучение", "шахматы", "шахматы программа", "детей занятия керамика", "обучение вокалом",
                       "астрономия", "хареография программа", "дети"]
        for q in queries {
            for filter in [nil, { (id: Int) in id % 3 != 0 }] as [((Int) -> Bool)?] {
                let exhaustive = index.scoreAll(q).filter { filter?($0.id) ?? true }
                    .sorted { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }.prefix(20)
                let pruned = index.search(q, limit: 20, filter: filter)
                #expect(pruned.count == exhaustive.count, "\(q)")
                for (a, b) in zip(pruned, exhaustive) {
                    #expect(abs(a.score - b.score) < 1e-4 * max(1, abs(b.score)), "\(q): \(a) vs \(b)")
                }
            }
        }
    }
}
