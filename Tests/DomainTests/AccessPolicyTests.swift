import Domain
import Foundation
import Testing

@Suite struct AccessPolicyTests {
    let m1 = UUID(), m2 = UUID(), p1 = UUID(), p2 = UUID(), parent1 = UUID(), parent2 = UUID()

    @Test func eachRoleSeesOnlyItsScope() {
        let child1 = ResourceScope(regionCode: "42", municipalityID: m1, familyID: parent1)
        let provider1 = ResourceScope(regionCode: "42", municipalityID: m1, providerID: p1)
        let foreignRegion = ResourceScope(regionCode: "22", municipalityID: m2, providerID: p2)

        let op = Principal(userID: UUID(), role: .operator_, regionCode: "42")
        #expect(AccessPolicy.allows(op, .write, child1))
        #expect(AccessPolicy.allows(op, .write, provider1))
        #expect(!AccessPolicy.allows(op, .read, foreignRegion))

        let muni = Principal(userID: UUID(), role: .municipality, regionCode: "42", municipalityID: m1)
        #expect(AccessPolicy.allows(muni, .write, child1))
        #expect(!AccessPolicy.allows(muni, .read, ResourceScope(regionCode: "42", municipalityID: m2)))

        let prov = Principal(userID: UUID(), role: .provider, regionCode: "42", municipalityID: m1, providerID: p1)
        #expect(AccessPolicy.allows(prov, .write, provider1))
        #expect(!AccessPolicy.allows(prov, .read, child1))
        #expect(!AccessPolicy.allows(prov, .read, ResourceScope(regionCode: "42", municipalityID: m1, providerID: p2)))

        let parent = Principal(userID: parent1, role: .parent, regionCode: "42", municipalityID: m1)
        #expect(AccessPolicy.allows(parent, .write, child1))
        #expect(!AccessPolicy.allows(parent, .read, ResourceScope(regionCode: "42", municipalityID: m1, familyID: parent2)))
        #expect(!AccessPolicy.allows(parent, .read, provider1))

        let monitor = Principal(userID: UUID(), role: .monitor, regionCode: "42")
        #expect(AccessPolicy.allows(monitor, .read, child1))
        #expect(!AccessPolicy.allows(monitor, .write, child1))
        let scopedMonitor = Principal(userID: UUID(), role: .monitor, regionCode: "42", municipalityID: m2)
        #expect(!AccessPolicy.allows(scopedMonitor, .read, child1))
    }

    /// Property over random principals and resources: nobody ever reaches another region; only the
    /// operator and the owners write; a monitor never writes; a parent reaches only its own family.
    @Test func invariantsOverRandomPrincipals() {
        var rng = SeededRandom(seed: 11)
        let regions = ["42", "22"]
        let ids = [m1, m2, p1, p2, parent1, parent2]
        func maybe() -> UUID? { Bool.random(using: &rng) ? rng.pick(ids) : nil }
        for _ in 0..<20_000 {
            let role = rng.pick(Role.allCases)
            let principal = Principal(userID: rng.pick(ids), role: role, regionCode: rng.pick(regions),
                                      municipalityID: maybe(), providerID: maybe())
            let scope = ResourceScope(regionCode: rng.pick(regions), municipalityID: maybe(), providerID: maybe(), familyID: maybe())
            let read = AccessPolicy.allows(principal, .read, scope)
            let write = AccessPolicy.allows(principal, .write, scope)
            if principal.regionCode != scope.regionCode { #expect(!read && !write) }
            if write { #expect(read) }
            if role == .monitor { #expect(!write) }
            if role == .parent && read { #expect(scope.familyID == principal.userID) }
            if role == .provider && read { #expect(scope.providerID != nil && scope.providerID == principal.providerID) }
            if role == .municipality && read { #expect(scope.municipalityID != nil && scope.municipalityID == principal.municipalityID) }
        }
    }
}
