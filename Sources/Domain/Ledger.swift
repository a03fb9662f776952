/// The ledger rules of domain.md §5. Money moves between four amounts of a certificate in a period;
/// `available` is derived and never negative:
///
///     available = granted − reserved − spent − expired
///
/// Entries are append-only; a mistake is undone by a reversing entry, never by an edit.
public enum LedgerKind: String, Sendable, Codable, CaseIterable {
    /// Period opens (or the certificate becomes ПФ): nominal → available.
    case grant
    /// A nominal lowered: available → no longer granted (never below what is committed).
    case grantReduction = "grant-reduction"
    /// Application created: available → reserved for a contract.
    case hold
    /// Application rejected, withdrawn, expired, or a contract terminated: reserved → available.
    case release
    /// Month charged: reserved → spent, owed to the provider.
    case charge
    /// Completeness below 100 %: the unpaid share of a charged month, spent → available.
    case correction
    /// Period closes: what is left available is written off.
    case expiry

    /// Whether entries of this kind belong to a contract.
    public var needsContract: Bool {
        switch self {
        case .hold, .release, .charge, .correction: true
        case .grant, .grantReduction, .expiry: false
        }
    }

    /// «Начисление номинала», … for statements.
    public var title: String {
        switch self {
        case .grant: "Начисление номинала"
        case .grantReduction: "Уменьшение номинала"
        case .hold: "Резерв по заявке"
        case .release: "Возврат резерва"
        case .charge: "Списание за месяц"
        case .correction: "Корректировка по полноте оказания услуги"
        case .expiry: "Списание неиспользованного остатка"
        }
    }
}

/// The amounts of one certificate in one period.
public struct LedgerBalance: Sendable, Hashable, Codable {
    public var granted: Int64
    public var reserved: Int64
    public var spent: Int64
    public var expired: Int64

    public init(granted: Int64 = 0, reserved: Int64 = 0, spent: Int64 = 0, expired: Int64 = 0) {
        self.granted = granted
        self.reserved = reserved
        self.spent = spent
        self.expired = expired
    }

    public var available: Int64 { granted - reserved - spent - expired }

    public var isValid: Bool { granted >= 0 && reserved >= 0 && spent >= 0 && expired >= 0 && available >= 0 }
}

/// What has moved for one contract: held − released = charged + still held.
public struct ContractHold: Sendable, Hashable, Codable {
    public var held: Int64
    public var released: Int64
    public var charged: Int64
    public var corrected: Int64

    public init(held: Int64 = 0, released: Int64 = 0, charged: Int64 = 0, corrected: Int64 = 0) {
        self.held = held
        self.released = released
        self.charged = charged
        self.corrected = corrected
    }

    public var stillHeld: Int64 { held - released - charged }

    public var isValid: Bool {
        held >= 0 && released >= 0 && charged >= 0 && corrected >= 0 && stillHeld >= 0 && corrected <= charged
    }
}

public enum LedgerRefusal: Error, Sendable, Hashable {
    case nonPositiveAmount
    case insufficientAvailable(available: Int64, requested: Int64)
    case insufficientHold(held: Int64, requested: Int64)
    case correctionExceedsCharges(charged: Int64, requested: Int64)
    case contractRequired
    case contractNotAllowed

    /// In Russian, for users.
    public var message: String {
        switch self {
        case .nonPositiveAmount: "Сумма операции должна быть больше нуля."
        case .insufficientAvailable(let a, let r):
            "Недостаточно средств на сертификате: доступно \(Money(kopecks: a).formatted), требуется \(Money(kopecks: r).formatted)."
        case .insufficientHold(let h, let r):
            "Зарезервировано по договору \(Money(kopecks: h).formatted), а требуется \(Money(kopecks: r).formatted)."
        case .correctionExceedsCharges(let c, let r):
            "Корректировка \(Money(kopecks: r).formatted) больше списанного по договору (\(Money(kopecks: c).formatted))."
        case .contractRequired: "Операция должна относиться к договору."
        case .contractNotAllowed: "Операция не относится к договору."
        }
    }
}

public enum LedgerRules {
    /// The balance and contract amounts after one entry, or the refusal. Pure: the service calls it with
    /// the locked rows and writes what it returns.
    public static func apply(_ kind: LedgerKind, amount: Int64, to balance: LedgerBalance,
                             contract: ContractHold?) -> Result<(LedgerBalance, ContractHold?), LedgerRefusal> {
        guard amount > 0 else { return .failure(.nonPositiveAmount) }
        if kind.needsContract && contract == nil { return .failure(.contractRequired) }
        if !kind.needsContract && contract != nil { return .failure(.contractNotAllowed) }
        var b = balance
        var c = contract
        switch kind {
        case .grant:
            b.granted += amount
        case .grantReduction:
            guard b.available >= amount else { return .failure(.insufficientAvailable(available: b.available, requested: amount)) }
            b.granted -= amount
        case .hold:
            guard b.available >= amount else { return .failure(.insufficientAvailable(available: b.available, requested: amount)) }
            b.reserved += amount
            c!.held += amount
        case .release:
            guard c!.stillHeld >= amount else { return .failure(.insufficientHold(held: c!.stillHeld, requested: amount)) }
            b.reserved -= amount
            c!.released += amount
        case .charge:
            guard c!.stillHeld >= amount else { return .failure(.insufficientHold(held: c!.stillHeld, requested: amount)) }
            b.reserved -= amount
            b.spent += amount
            c!.charged += amount
        case .correction:
            let correctable = c!.charged - c!.corrected
            guard correctable >= amount else { return .failure(.correctionExceedsCharges(charged: correctable, requested: amount)) }
            b.spent -= amount
            c!.corrected += amount
        case .expiry:
            guard b.available >= amount else { return .failure(.insufficientAvailable(available: b.available, requested: amount)) }
            b.expired += amount
        }
        return .success((b, c))
    }

    /// One entry as the verifier sees it.
    public struct Entry: Sendable, Hashable {
        public let account: String
        public let contract: String?
        public let kind: LedgerKind
        public let amount: Int64

        public init(account: String, contract: String?, kind: LedgerKind, amount: Int64) {
            self.account = account
            self.contract = contract
            self.kind = kind
            self.amount = amount
        }
    }

    /// Recomputes every balance and contract from the entries, in order, and lists every violation of the
    /// invariants, and every difference from the cached amounts.
    public static func verify(entries: [Entry], cachedBalances: [String: LedgerBalance],
                              cachedContracts: [String: ContractHold]) -> [String] {
        var balances: [String: LedgerBalance] = [:]
        var contracts: [String: ContractHold] = [:]
        var contractAccount: [String: String] = [:]
        var problems: [String] = []
        for (n, e) in entries.enumerated() {
            if let c = e.contract {
                if let a = contractAccount[c], a != e.account {
                    problems.append("entry \(n + 1): contract \(c) moves money of two certificates")
                }
                contractAccount[c] = e.account
            }
            let b = balances[e.account] ?? LedgerBalance()
            let c = e.contract.map { contracts[$0] ?? ContractHold() }
            switch apply(e.kind, amount: e.amount, to: b, contract: c) {
            case .success(let (nb, nc)):
                balances[e.account] = nb
                if let id = e.contract { contracts[id] = nc }
            case .failure(let refusal):
                problems.append("entry \(n + 1) (\(e.kind.rawValue) \(e.amount) on \(e.account)): \(refusal)")
            }
        }
        for (account, b) in balances {
            if !b.isValid { problems.append("balance \(account) is invalid: \(b)") }
            if cachedBalances[account] != b {
                problems.append("balance \(account): stored \(cachedBalances[account].map { "\($0)" } ?? "none"), entries give \(b)")
            }
        }
        for account in cachedBalances.keys where balances[account] == nil && cachedBalances[account] != LedgerBalance() {
            problems.append("balance \(account) is stored but has no entries")
        }
        for (id, c) in contracts {
            if !c.isValid { problems.append("contract \(id) is invalid: \(c)") }
            if cachedContracts[id] != c {
                problems.append("contract \(id): stored \(cachedContracts[id].map { "\($0)" } ?? "none"), entries give \(c)")
            }
        }
        for id in cachedContracts.keys where contracts[id] == nil {
            problems.append("contract \(id) is stored but has no entries")
        }
        // Every reserved amount belongs to a contract.
        var reservedByAccount: [String: Int64] = [:]
        for (id, c) in contracts { reservedByAccount[contractAccount[id]!, default: 0] += c.stillHeld }
        for (account, b) in balances where b.reserved != reservedByAccount[account, default: 0] {
            problems.append("balance \(account): reserved \(b.reserved) but contracts hold \(reservedByAccount[account, default: 0])")
        }
        return problems
    }
}
