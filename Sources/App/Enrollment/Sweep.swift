import Domain
import Fluent
import Foundation
import Vapor

/// The enrollment's hourly sweep: applications and offers past their deadline expire, contracts past their last day
/// end (except those the coming rollover continues), and families are told of coming prolongations. Safe to run again.
struct EnrollmentSweep: Sendable {
    let store: Store
    let steps: ContractSteps
    let prolongations: Prolongations
    let clock: AppClock

    struct Result: Sendable, Equatable {
        var expired = 0
        var finished = 0
        /// Parents told of the coming prolongation of a contract.
        var announced = 0
    }

    /// In the order of the applications (a place freed goes to the waiting list in that order on every database).
    func run() async throws -> Result {
        var result = Result()
        let db = store.db
        let now = clock.now()
        let due = try await ContractModel.query(on: db).filter(\.$status ~~ ContractStatus.awaitingAnswer).filter(\.$answerDue < now)
            .sort(\.$createdAt).sort(\.$id).all()
        for c in due where try await step(c, .expire) { result.expired += 1 }
        // Contracts whose last day has passed in the easternmost region served.
        let lastISO = ReferenceData.localDate(region: "42", at: now).adding(days: 1).iso
        let ending = try await ContractModel.query(on: db).filter(\.$status ~~ ContractStatus.running).filter(\.$endsOn < lastISO)
            .sort(\.$createdAt).sort(\.$id).all()
        // A contract that the coming rollover prolongs keeps its place until then (domain §7).
        var following: [UUID: [String]] = [:]
        if !ending.isEmpty {
            for p in try await PeriodModel.query(on: db).filter(\.$status != .closed).all() {
                following[p.municipalityID, default: []].append(p.startsOn)
            }
        }
        for c in ending {
            if c.prolongation != .declined, following[c.municipalityID, default: []].contains(where: { $0 > c.endsOn }),
               let group = try await GroupModel.find(c.groupID, on: db), Prolongations.goesOn(c, groupEnd: group.endsOn) {
                continue
            }
            if try await step(c, .finish) { result.finished += 1 }
        }
        result.announced = try await prolongations.announce()
        return result
    }

    /// The system's step; false when the lifecycle says it does not apply (yet).
    private func step(_ c: ContractModel, _ event: ContractEvent) async throws -> Bool {
        do {
            try await steps.step(c.requireID(), event, by: nil)
            return true
        } catch is Refusal {
            return false
        }
    }
}
