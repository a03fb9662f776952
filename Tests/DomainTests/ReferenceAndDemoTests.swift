import Domain
import Testing

@Suite struct ReferenceDataTests {
    @Test func regionsAndMunicipalities() {
        #expect(ReferenceData.regions.map(\.code) == ["42", "22"])
        let kuzbass = ReferenceData.municipalities.filter { $0.regionCode == "42" }
        let altai = ReferenceData.municipalities.filter { $0.regionCode == "22" }
        #expect(kuzbass.count == 34)
        #expect(altai.count == 69)
        for region in ["42", "22"] {
            let codes = ReferenceData.municipalities.filter { $0.regionCode == region }.map(\.code)
            #expect(Set(codes).count == codes.count)
            #expect(codes.allSatisfy { $0.count == 2 && $0.allSatisfy(\.isNumber) })
        }
        let osinniki = ReferenceData.municipality(regionCode: "42", code: "33")
        #expect(osinniki?.name == "Осинниковский городской округ")
        // 45 997 inhabitants × the region's share of children aged 5–17.
        #expect((7000...8500).contains(osinniki?.childrenEstimate ?? 0))
        #expect(Direction.allCases.count == 6)
        #expect(Set(Direction.allCases.map(\.rawValue)).count == 6)
    }
}

@Suite struct DemoPlanTests {
    let today = LocalDate(year: 2026, month: 11, day: 22)!

    @Test func sameSeedSameFamilies() {
        let a = DemoPlan(seed: 5, children: 101).families(0..<51, today: today)
        let b = DemoPlan(seed: 5, children: 101).families(0..<51, today: today)
        #expect(a.map(\.email) == b.map(\.email))
        #expect(a.flatMap(\.children).map(\.snils) == b.flatMap(\.children).map(\.snils))
        #expect(a.map(\.parent) == b.map(\.parent))
        let c = DemoPlan(seed: 6, children: 101).families(0..<51, today: today)
        #expect(a.map(\.parent) != c.map(\.parent))
    }

    @Test func exactChildCountValidUniqueSnilsAndAges() {
        let plan = DemoPlan(seed: 1, children: 2001)
        let families = plan.families(0..<plan.familyCount, today: today)
        let kids = families.flatMap(\.children)
        #expect(kids.count == 2001)
        #expect(Set(kids.map(\.snils)).count == kids.count)
        #expect(kids.allSatisfy { Identifiers.isValidSNILS($0.snils) })
        #expect(kids.allSatisfy { (5...17).contains($0.birthDate.age(on: today)) })
        // A batch regenerated alone is the same as inside the whole.
        let again = plan.families(700..<710, today: today)
        #expect(again.map(\.email) == Array(families[700..<710]).map(\.email))
    }

    @Test func snilsOfChildrenIsABijection() {
        var seen = Set<String>()
        for i in 0..<200_000 { seen.insert(DemoPlan.snils(forChild: i)) }
        #expect(seen.count == 200_000)
        #expect(seen.allSatisfy(Identifiers.isValidSNILS))
    }

    @Test func providersHaveValidIdentifiersAndOsinnikiHasItsThree() {
        let providers = DemoPlan().providers
        for p in providers {
            if p.kind.isSoleProprietor {
                #expect(Identifiers.isValidPersonINN(p.inn) && Identifiers.isValidOGRNIP(p.ogrn))
                #expect(p.kpp == nil)
            } else {
                #expect(Identifiers.isValidOrganizationINN(p.inn) && Identifiers.isValidOGRN(p.ogrn))
                #expect(Identifiers.isValidKPP(p.kpp ?? ""))
            }
            #expect((p.kind == .soleAlone) == (p.licenceNumber == nil))
        }
        let osinniki = providers.filter { $0.municipalityCode == "33" }.map(\.shortName)
        #expect(osinniki.contains("ДДТ г. Осинники") && osinniki.contains("СЮТ г. Осинники") && osinniki.contains("ДЮСШ г. Осинники"))
        #expect(Set(providers.map(\.ownership)) == Set(Ownership.allCases))
        #expect(Set(providers.map(\.kind)) == Set(ProviderKind.allCases))
        let staff = DemoPlan().staff
        #expect(Set(staff.map(\.email)).count == staff.count)
        #expect(Set(staff.map(\.role)) == Set(Role.allCases))
    }
}
