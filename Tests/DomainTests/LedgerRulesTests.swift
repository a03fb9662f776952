import Domain
import Testing

@Suite struct LedgerRulesTests {
    @Test func eachKindMovesMoneyAsSection5Says() throws {
        var b = LedgerBalance()
        var c: ContractHold? = ContractHold()
        (b, _) = try LedgerRules.apply(.grant, amount: 1_000, to: b, contract: nil).get()
        (b, c) = try LedgerRules.apply(.hold, amount: 600, to: b, contract: c).get()
        #expect(b.available == 400 && b.reserved == 600)
        (b, c) = try LedgerRules.apply(.charge, amount: 200, to: b, contract: c).get()
        #expect(b.spent == 200 && b.reserved == 400 && c!.stillHeld == 400)
        (b, c) = try LedgerRules.apply(.correction, amount: 50, to: b, contract: c).get()
        #expect(b.spent == 150 && b.available == 450)
        (b, c) = try LedgerRules.apply(.release, amount: 400, to: b, contract: c).get()
        #expect(b.reserved == 0 && b.available == 850 && c!.stillHeld == 0)
        (b, _) = try LedgerRules.apply(.expiry, amount: 850, to: b, contract: nil).get()
        #expect(b.available == 0 && b.granted == b.reserved + b.spent + b.expired)
    }

    @Test func refusals() {
        let b = LedgerBalance(granted: 100)
        #expect(throws: LedgerRefusal.insufficientAvailable(available: 100, requested: 101)) {
            try LedgerRules.apply(.hold, amount: 101, to: b, contract: ContractHold()).get()
        }
        #expect(throws: LedgerRefusal.nonPositiveAmount) { try LedgerRules.apply(.grant, amount: 0, to: b, contract: nil).get() }
        #expect(throws: LedgerRefusal.contractRequired) { try LedgerRules.apply(.hold, amount: 1, to: b, contract: nil).get() }
        #expect(throws: LedgerRefusal.insufficientHold(held: 0, requested: 1)) {
            try LedgerRules.apply(.release, amount: 1, to: b, contract: ContractHold()).get()
        }
        #expect(throws: LedgerRefusal.correctionExceedsCharges(charged: 0, requested: 1)) {
            try LedgerRules.apply(.correction, amount: 1, to: b, contract: ContractHold(held: 5)).get()
        }
        #expect(throws: LedgerRefusal.insufficientAvailable(available: 40, requested: 50)) {
            try LedgerRules.apply(.grantReduction, amount: 50, to: LedgerBalance(granted: 100, reserved: 60), contract: nil).get()
        }
        #expect(LedgerRefusal.insufficientAvailable(available: 100, requested: 200).message.contains("Недостаточно средств"))
    }

    /// Property: over random sequences of operations (refused ones change nothing), every invariant of
    /// §5 holds after each step, and the verifier recomputes exactly the amounts we kept.
    @Test func invariantsHoldOverRandomSequences() {
        var rng = SeededRandom(seed: 55)
        for _ in 0..<300 {
            var balances: [String: LedgerBalance] = [:]
            var contracts: [String: ContractHold] = [:]
            var owner: [String: String] = [:]
            var entries: [LedgerRules.Entry] = []
            for _ in 0..<Int.random(in: 1...60, using: &rng) {
                let account = "c\(Int.random(in: 0..<3, using: &rng))"
                let kind = rng.pick(LedgerKind.allCases)
                var contract: String? = nil
                if kind.needsContract {
                    let existing = contracts.keys.filter { owner[$0] == account }.sorted()
                    contract = (existing.isEmpty || Int.random(in: 0..<4, using: &rng) == 0)
                        ? "k\(contracts.count + Int.random(in: 0...1000, using: &rng))" : rng.pick(existing)
                    if let k = contract, let o = owner[k], o != account { continue }
                }
                let amount = Int64.random(in: 1...5_000, using: &rng)
                let b = balances[account] ?? LedgerBalance()
                let c = contract.map { contracts[$0] ?? ContractHold() }
                if case .success(let (nb, nc)) = LedgerRules.apply(kind, amount: amount, to: b, contract: c) {
                    #expect(nb.isValid)
                    #expect(nb.granted == nb.available + nb.reserved + nb.spent + nb.expired)
                    balances[account] = nb
                    if let k = contract { contracts[k] = nc!; owner[k] = account; #expect(nc!.isValid) }
                    entries.append(.init(account: account, contract: contract, kind: kind, amount: amount))
                }
            }
            #expect(LedgerRules.verify(entries: entries, cachedBalances: balances, cachedContracts: contracts).isEmpty)
            if let (account, b) = balances.first {
                var tampered = balances
                tampered[account] = LedgerBalance(granted: b.granted + 1, reserved: b.reserved, spent: b.spent, expired: b.expired)
                #expect(!LedgerRules.verify(entries: entries, cachedBalances: tampered, cachedContracts: contracts).isEmpty)
            }
        }
    }
}
