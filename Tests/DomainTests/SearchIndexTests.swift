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
