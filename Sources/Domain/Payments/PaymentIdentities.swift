import Foundation

/// The identities of paying providers that `navigator verify` checks (issue 14), over what the database holds:
///
/// - for every contract, charges − corrections in the ledger = Σ completeness × monthly part over its closed months,
///   and its charges = Σ its closed months' certificate parts (no contract-month charged twice);
/// - every invoice's totals are the sums of its lines, its amount due = finals − advances + carried, and every final
///   line is the final amount of its contract-month;
/// - nothing is charged before its month ends.
public enum PaymentIdentities {
    public struct ContractMonth: Sendable, Hashable {
        public let contract: String
        public let month: Month
        public let part: Int64
        public let completeness: Completeness
        public let final: Int64
        public let corrected: Int64
        /// The local date it was closed on.
        public let closedOn: LocalDate
        public let finalInvoice: String?

        public init(contract: String, month: Month, part: Int64, completeness: Completeness, final: Int64, corrected: Int64,
                    closedOn: LocalDate, finalInvoice: String?) {
            self.contract = contract
            self.month = month
            self.part = part
            self.completeness = completeness
            self.final = final
            self.corrected = corrected
            self.closedOn = closedOn
            self.finalInvoice = finalInvoice
        }
    }

    public struct Invoice: Sendable, Hashable {
        public let id: String
        public let number: String
        public let kind: InvoiceKind
        public let finals: Int64
        public let advances: Int64
        public let carried: Int64
        public let due: Int64

        public init(id: String, number: String, kind: InvoiceKind, finals: Int64, advances: Int64, carried: Int64, due: Int64) {
            self.id = id
            self.number = number
            self.kind = kind
            self.finals = finals
            self.advances = advances
            self.carried = carried
            self.due = due
        }
    }

    public struct Line: Sendable, Hashable {
        public let invoice: String
        public let contract: String
        public let month: Month
        public let amount: Int64
        public let advance: Int64

        public init(invoice: String, contract: String, month: Month, amount: Int64, advance: Int64) {
            self.invoice = invoice
            self.contract = contract
            self.month = month
            self.amount = amount
            self.advance = advance
        }
    }

    /// `charges`/`corrections`: the ledger's sums per contract.
    public static func verify(months: [ContractMonth], charges: [String: Int64], corrections: [String: Int64],
                              invoices: [Invoice], lines: [Line]) -> [String] {
        var problems: [String] = []
        var finals: [String: Int64] = [:], parts: [String: Int64] = [:]
        var byKey: [String: ContractMonth] = [:]
        for m in months {
            let key = m.contract + "/" + m.month.key
            byKey[key] = m
            finals[m.contract, default: 0] += m.final
            parts[m.contract, default: 0] += m.part
            if m.final != PaymentRules.final(m.part, m.completeness) || m.final + m.corrected != m.part {
                problems.append("contract-month \(key): final \(m.final), corrected \(m.corrected) do not follow from part \(m.part) × \(m.completeness)")
            }
            if m.closedOn <= m.month.last {
                problems.append("contract-month \(key) was charged on \(m.closedOn.iso), before its month ended")
            }
        }
        for contract in Set(finals.keys).union(charges.keys).union(corrections.keys) {
            let charged = charges[contract, default: 0], corrected = corrections[contract, default: 0]
            if charged != parts[contract, default: 0] {
                problems.append("contract \(contract): charged \(charged) in the ledger, its closed months' parts are \(parts[contract, default: 0])")
            }
            if charged - corrected != finals[contract, default: 0] {
                problems.append("contract \(contract): charges − corrections = \(charged - corrected), Σ completeness × part = \(finals[contract, default: 0])")
            }
        }
        var sums: [String: (Int64, Int64)] = [:]
        let kinds = Dictionary(uniqueKeysWithValues: invoices.map { ($0.id, $0.kind) })
        for l in lines {
            sums[l.invoice, default: (0, 0)].0 += l.amount
            sums[l.invoice, default: (0, 0)].1 += l.advance
            if kinds[l.invoice] == .final {
                let key = l.contract + "/" + l.month.key
                guard let m = byKey[key] else {
                    problems.append("invoice \(l.invoice): line \(key) has no closed contract-month")
                    continue
                }
                if m.final != l.amount { problems.append("invoice \(l.invoice): line \(key) says \(l.amount), the month's final is \(m.final)") }
            }
        }
        for i in invoices {
            let (a, adv) = sums[i.id, default: (0, 0)]
            if i.finals != a || i.advances != adv || i.due != i.finals - i.advances + i.carried {
                problems.append("invoice \(i.number): totals \(i.finals)/\(i.advances)/\(i.carried)/\(i.due) differ from its lines \(a)/\(adv)")
            }
        }
        return problems
    }
}
