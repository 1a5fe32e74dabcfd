// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "coffer",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "coffer", targets: ["coffer"]),
        .library(name: "CofferCore", targets: ["CofferCore"]),
        .library(name: "CofferKMS", targets: ["CofferKMS"]),
        // The client-side Encryption SDK, byte-compatible with the AWS Encryption SDK.
        .library(name: "CofferEncryptionSDK", targets: ["CofferEncryptionSDK"]),
        .library(name: "CofferRSAOAEP", targets: ["CofferRSAOAEP"]),
    ],
    dependencies: [
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // Two libc calls Swift cannot see: glibc's mallopt and getrandom(2).
        .target(name: "CCofferSystem"),
        // Bitcoin Core's libsecp256k1 from the system (scripts/ensure-deps installs libsecp256k1-dev): ECC_SECG_P256K1 keys.
        .systemLibrary(name: "CSecp256k1", pkgConfig: "libsecp256k1", providers: [.apt(["libsecp256k1-dev"])]),
        // Layer 1: identifiers, encryption context, clock/randomness, shared error shape. No dependencies.
        .target(name: "CofferCore", swiftSettings: swiftSettings),
        // Layer 2: sealing and byte formats over swift-crypto.
        .target(
            name: "CofferCrypto",
            dependencies: ["CofferCore", "CCofferSystem", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // Layer 3: the IAM policy language (parse, validate, evaluate). No I/O.
        .target(name: "CofferPolicy", dependencies: ["CofferCore"], swiftSettings: swiftSettings),
        // Layer 4: identities (accounts, access keys, IAM users and roles, STS sessions) and the KMS key ring. No HTTP.
        .target(name: "CofferIdentity", dependencies: ["CofferCore", "CofferCrypto", "CofferPolicy"], swiftSettings: swiftSettings),
        .target(
            name: "CofferKMS",
            dependencies: [
                "CofferCore", "CofferCrypto", "CofferPolicy", "CSecp256k1", "CCofferBoringSSLShim",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: swiftSettings
        ),
        // Layer 4: the audit trail: group-committed, hash-chained segments, CloudTrail log files, signed digests.
        .target(
            name: "CofferAudit",
            dependencies: [
                "CofferCore", "CCofferSystem", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Layer 4: the local certificate authority that issues the server's TLS certificate.
        .target(
            name: "CofferPKI",
            dependencies: [
                "CofferCore",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // Layer 5: SQLite storage adapters.
        .target(
            name: "CofferStorageSQLite",
            dependencies: ["CofferAudit", "CofferCore", "CofferIdentity", "CofferKMS", "CofferObjectStore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        // Layer 6: SigV4, JSON codec, AWS error table. No HTTP framework.
        .target(
            name: "CofferWire",
            dependencies: ["CofferCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // Layer 6: S3's wire details: aws-chunked bodies (signed and unsigned, trailers), checksums, Content-MD5.
        .target(
            name: "CofferS3Wire", dependencies: ["CofferCore", "CofferWire", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: swiftSettings
        ),
        // Layer 5: S3's rules: authorization (IAM and bucket policies), SSE modes and their data keys, over the object store.
        .target(
            name: "CofferS3",
            dependencies: [
                "CofferCore", "CofferCrypto", "CofferKMS", "CofferObjectStore", "CofferPolicy", "CofferS3Wire",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // Layer 4: S3 objects at rest: the chunked AES-256-GCM format (docs/object-format.md).
        .target(
            name: "CofferObjectStore", dependencies: ["CofferCore", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: swiftSettings
        ),
        // The Encryption SDK (client side; depends on nothing of the server). Its message format, keyrings and
        // materials managers; the opt-in OAEP-SHA384/512 padding over swift-crypto's BoringSSL; the awses
        // test-vector runner behind `coffer esdk-vectors`.
        .target(
            name: "CofferEncryptionSDK",
            dependencies: [
                "CCofferBoringSSLShim",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "CCofferBoringSSLShim"),
        .target(
            name: "CofferRSAOAEP",
            dependencies: [
                "CofferEncryptionSDK", "CCofferBoringSSLShim",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "CofferESDKVectors", dependencies: ["CofferEncryptionSDK", "CofferRSAOAEP"], swiftSettings: swiftSettings),
        // The SDK's KMS client (SigV4 over NIO + NIOSSL; AWS_CA_BUNDLE trusts a local CA such as Coffer's) and the
        // `coffer encrypt` / `coffer decrypt` commands.
        .target(
            name: "CofferKMSClient",
            dependencies: [
                "CofferEncryptionSDK", "CofferCore", "CofferWire",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CofferEncryptCLI",
            dependencies: [
                "CofferEncryptionSDK", "CofferRSAOAEP", "CofferKMSClient", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // bench/esdk's Swift side.
        .executableTarget(name: "esdk-bench", dependencies: ["CofferEncryptionSDK"], swiftSettings: swiftSettings),
        // Layer 7: the Hummingbird application.
        .target(
            name: "CofferServer",
            dependencies: [
                "CofferAudit", "CofferCore", "CofferCrypto", "CofferIdentity", "CofferKMS", "CofferPKI", "CofferObjectStore", "CofferPolicy", "CofferS3", "CofferS3Wire", "CofferStorageSQLite", "CofferWire",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // Layer 8: the CLI.
        .executableTarget(
            name: "coffer",
            dependencies: [
                "CofferAudit", "CofferCore", "CofferServer", "CofferIdentity", "CofferStorageSQLite", "CofferCrypto", "CCofferSystem",
                "CofferESDKVectors", "CofferEncryptCLI",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "CofferCoreTests", dependencies: ["CofferCore", "CofferCrypto", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: swiftSettings),
        .testTarget(
            name: "CofferKMSTests",
            dependencies: [
                "CofferKMS", "CofferIdentity", "CofferStorageSQLite", "CofferPKI", "CofferCore", "CofferCrypto", "CofferAudit",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "CofferAuditTests", dependencies: ["CofferAudit", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: swiftSettings),
        .testTarget(
            name: "CofferKMSClientTests",
            dependencies: [
                "CofferKMSClient", "CofferEncryptionSDK",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CofferEncryptCLITests", dependencies: ["CofferEncryptCLI", "CofferEncryptionSDK", "CofferKMSClient"], swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CofferEncryptionSDKTests",
            dependencies: [
                "CofferEncryptionSDK", "CofferRSAOAEP", "CofferESDKVectors",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            resources: [.copy("Vectors")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CofferObjectStoreTests",
            dependencies: [
                "CofferCore", "CofferObjectStore", "CofferStorageSQLite", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CofferS3WireTests", dependencies: ["CofferS3Wire", "CofferCore", .product(name: "Crypto", package: "swift-crypto")], exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "CofferPolicyTests", dependencies: ["CofferPolicy"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CofferS3Tests",
            dependencies: ["CofferS3", "CofferCore", "CofferCrypto", "CofferKMS", "CofferObjectStore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "CofferWireTests", dependencies: ["CofferWire", "CofferCore", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: swiftSettings),
    ]
)
