//===- TargetTest.cpp - Tests of arch.json parsing and the catalog --------===//

#include "vai/Target/Target.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

using namespace vai;

namespace {

// DPUCZDX8G_ISA1_B4096 as Vitis AI 2.5 registers it (feature_code
// 0x000016010407 in target_factory/targets/DPUCZDX8G_ISA1_B4096.prototxt).
constexpr uint64_t kB4096 = 0x0101000016010407ull;

bool startsWith(const std::string &s, const std::string &prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

std::optional<Target> parse(const std::string &text, std::string &error) {
  return parseArchJson(text, "arch.json", error);
}

/// Expects `text` to be rejected with exactly `message`.
void expectError(const std::string &text, const std::string &message) {
  std::string error;
  std::optional<Target> t = parse(text, error);
  EXPECT_FALSE(t) << "accepted: " << text;
  EXPECT_EQ(error, message) << "for: " << text;
}

void expectB4096(const Target &t) {
  EXPECT_EQ(t.name, "DPUCZDX8G_ISA1_B4096");
  EXPECT_EQ(t.type, "DPUCZDX8G");
  EXPECT_EQ(t.fingerprint, kB4096);
  EXPECT_EQ(t.isaVersion, 1);
  EXPECT_EQ(t.pixelParallel, 8);
  EXPECT_EQ(t.inputChannelParallel, 16);
  EXPECT_EQ(t.outputChannelParallel, 16);
  EXPECT_EQ(t.aluPixelParallel, 4);
  EXPECT_EQ(t.imageBankGroups, 2);
  EXPECT_EQ(t.imageBanksPerGroup, 8);
  EXPECT_EQ(t.imageBankWidth, 16);
  EXPECT_EQ(t.imageBankDepth, 2048);
  EXPECT_EQ(t.weightBanks, 16);
  EXPECT_EQ(t.weightBankWidth, 16);
  EXPECT_EQ(t.weightBankDepth, 2048);
  EXPECT_EQ(t.biasBankDepth, 2048);
  EXPECT_EQ(t.peakOpsPerCycle(), 8 * 16 * 16 * 2);
  EXPECT_EQ(t.peakOpsPerCycle(), 4096);
  EXPECT_EQ(t.convKernel, (Range{1, 16}));
  EXPECT_EQ(t.convStride, (Range{1, 8}));
  EXPECT_EQ(t.aluKernel, (Range{1, 256}));
  EXPECT_EQ(t.aluStride, (Range{1, 256}));
  EXPECT_EQ(t.aluPad, (Range{0, 15}));
  EXPECT_TRUE(t.supportsConvNonlinear("relu"));
  EXPECT_TRUE(t.supportsConvNonlinear("leaky_relu"));
  EXPECT_TRUE(t.supportsConvNonlinear("relu6"));
  EXPECT_FALSE(t.supportsConvNonlinear("hswish"));
  EXPECT_TRUE(t.supportsEltwiseType("add"));
  EXPECT_TRUE(t.supportsEltwiseType("mult"));
  EXPECT_TRUE(t.supportsAluType("max_pool"));
  EXPECT_TRUE(t.supportsAluType("dwconv"));
  EXPECT_TRUE(t.channelAugmentation);
  EXPECT_FALSE(t.saveArgmax);
  EXPECT_EQ(t.fingerprintHex(), "0x101000016010407");
}

std::string tempPath(const char *name) {
  return "/tmp/vai_target_test_" + std::to_string(getpid()) + "_" + name;
}

} // namespace

TEST(TargetTest, NameForm) {
  std::string error;
  std::optional<Target> t =
      parse(R"({"target": "DPUCZDX8G_ISA1_B4096"})", error);
  ASSERT_TRUE(t) << error;
  EXPECT_TRUE(error.empty());
  expectB4096(*t);

  std::optional<Target> direct = lookupTarget("DPUCZDX8G_ISA1_B4096", error);
  ASSERT_TRUE(direct) << error;
  EXPECT_EQ(*direct, *t);
}

TEST(TargetTest, FingerprintStringAndIntegerGiveTheSameTarget) {
  std::string error;
  std::optional<Target> byName =
      parse(R"({"target": "DPUCZDX8G_ISA1_B4096"})", error);
  ASSERT_TRUE(byName) << error;

  // 0x101000016010407 == 72339069383803911.
  for (const char *text : {R"({"fingerprint": "0x101000016010407"})",
                           R"({"fingerprint": "0x0101000016010407"})",
                           R"({"fingerprint": "0X101000016010407"})",
                           R"({"fingerprint": "101000016010407"})",
                           R"({"fingerprint": 72339069383803911})"}) {
    std::optional<Target> t = parse(text, error);
    ASSERT_TRUE(t) << text << ": " << error;
    expectB4096(*t);
    EXPECT_EQ(*t, *byName) << text;
  }
}

TEST(TargetTest, FingerprintFieldsDecodeFromTheBitLayout) {
  const uint64_t fp = kB4096;
  // Expected values straight from the documented bit positions.
  EXPECT_EQ(fp >> 56, 0x01u);          // DPUCZDX8G
  EXPECT_EQ((fp >> 48) & 0xFF, 0x01u); // ISA1
  EXPECT_EQ(fp & 0xFFFFFFFFFFFFull, 0x16010407u);
  const unsigned arch = fp & 0xF;           // 7 -> (8, 16)
  const unsigned aluPP = (fp >> 8) & 0xF;   // 4
  const unsigned groups = (fp >> 24) & 0x3; // 2
  const bool augmentation = (fp >> 26) & 1; // 1
  const bool convLeaky = (fp >> 28) & 1;    // 1
  const bool dwLeaky = (fp >> 29) & 1;      // 0
  const bool argmax = (fp >> 30) & 1;       // 0
  const unsigned convWp = 1u << ((fp >> 32) & 3);
  const unsigned aluWp = 1u << ((fp >> 34) & 3);
  EXPECT_EQ(arch, 7u);
  EXPECT_EQ(aluPP, 4u);
  EXPECT_EQ(groups, 2u);

  // Decode without the catalog and compare field by field.
  std::string error;
  std::optional<Target> t = decodeFingerprint(fp, error);
  ASSERT_TRUE(t) << error;
  EXPECT_EQ(t->type, "DPUCZDX8G");
  EXPECT_EQ(t->isaVersion, 1);
  EXPECT_EQ(t->pixelParallel, 8);
  EXPECT_EQ(t->inputChannelParallel, 16);
  EXPECT_EQ(t->outputChannelParallel, 16);
  EXPECT_EQ(t->aluPixelParallel, static_cast<int>(aluPP));
  EXPECT_EQ(t->imageBankGroups, static_cast<int>(groups));
  EXPECT_EQ(t->channelAugmentation, augmentation);
  EXPECT_EQ(t->supportsConvNonlinear("leaky_relu"), convLeaky);
  EXPECT_EQ(t->supportsAluNonlinear("leaky_relu"), dwLeaky);
  EXPECT_EQ(t->saveArgmax, argmax);
  EXPECT_EQ(t->convWriteParallel, static_cast<int>(convWp));
  EXPECT_EQ(t->aluWriteParallel, static_cast<int>(aluWp));
  EXPECT_EQ(t->name, "DPUCZDX8G_ISA1_B4096_0101000016010407");

  // Vitis AI 3.x boards report the same DPU with save argmax (bit 30) set. It
  // is not in the catalog, so it is decoded and named as target_factory does.
  const uint64_t withArgmax = fp | (uint64_t(1) << 30);
  EXPECT_EQ(withArgmax, 0x0101000056010407ull);
  std::optional<Target> v3 =
      parse(R"({"fingerprint": "0x101000056010407"})", error);
  ASSERT_TRUE(v3) << error;
  EXPECT_TRUE(v3->saveArgmax);
  EXPECT_EQ(v3->peakOpsPerCycle(), 4096);
  EXPECT_EQ(v3->name, "DPUCZDX8G_ISA1_B4096_0101000056010407");

  // An unknown but well-formed feature code: arch 2 (8, 8), ALU PP 2,
  // 3 image bank groups, no augmentation, conv write parallel 2.
  const uint64_t custom = 0x0101000113000202ull;
  std::optional<Target> c = decodeFingerprint(custom, error);
  ASSERT_TRUE(c) << error;
  EXPECT_EQ(c->pixelParallel, 8);
  EXPECT_EQ(c->inputChannelParallel, 8);
  EXPECT_EQ(c->aluPixelParallel, 2);
  EXPECT_EQ(c->imageBankGroups, 3);
  EXPECT_FALSE(c->channelAugmentation);
  EXPECT_TRUE(c->supportsConvNonlinear("leaky_relu"));
  EXPECT_EQ(c->convWriteParallel, 2);
  EXPECT_EQ(c->imageBanksPerGroup, 8); // default: PP banks per group
  EXPECT_EQ(c->imageBankDepth, 2048);  // default depth
  EXPECT_EQ(c->name, "DPUCZDX8G_ISA1_B1024_0101000113000202");

  std::string text = describeFingerprint(fp);
  EXPECT_NE(text.find("DPUCZDX8G"), std::string::npos) << text;
  EXPECT_NE(text.find("pixel parallel 8, channel parallel 16 (B4096)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("image bank groups      2"), std::string::npos) << text;
  EXPECT_NE(text.find("catalog entry          DPUCZDX8G_ISA1_B4096"),
            std::string::npos)
      << text;
  EXPECT_NE(describeFingerprint(0x0a00000000000000ull).find("(unknown family)"),
            std::string::npos);
}

TEST(TargetTest, UnknownTargetNameListsKnownNames) {
  std::string error;
  EXPECT_FALSE(parse(R"({"target": "DPUCZDX8G_ISA1_B9999"})", error));
  EXPECT_TRUE(startsWith(error, "arch.json: unknown target "
                                "'DPUCZDX8G_ISA1_B9999' (known: "
                                "DPUCZDX8G_ISA1_B512, DPUCZDX8G_ISA1_B800, "))
      << error;
  std::vector<std::string> names = knownTargetNames();
  ASSERT_GE(names.size(), 1u);
  for (const std::string &name : names)
    EXPECT_NE(error.find(name), std::string::npos) << name;
  EXPECT_NE(std::find(names.begin(), names.end(), "DPUCZDX8G_ISA1_B4096"),
            names.end());

  EXPECT_FALSE(lookupTarget("B4096", error));
  EXPECT_TRUE(startsWith(error, "unknown target 'B4096' (known: ")) << error;
  expectError(R"({"target": 4096})",
              "arch.json: target must be a string, found number");
}

TEST(TargetTest, MalformedFingerprint) {
  expectError(R"({"fingerprint": "0x10G"})",
              "arch.json: malformed fingerprint '0x10G': expected a "
              "hexadecimal number");
  expectError(R"({"fingerprint": "0x"})",
              "arch.json: malformed fingerprint '0x': expected a hexadecimal "
              "number");
  expectError(R"({"fingerprint": " 0x101000016010407"})",
              "arch.json: malformed fingerprint ' 0x101000016010407': "
              "expected a hexadecimal number");
  expectError(R"({"fingerprint": "0x10100001601040700"})",
              "arch.json: malformed fingerprint '0x10100001601040700': more "
              "than 64 bits");
  expectError(R"({"fingerprint": -1})",
              "arch.json: fingerprint must be a hexadecimal string such as "
              "\"0x101000016010407\" or a non-negative integer, found a "
              "negative integer");
  expectError(R"({"fingerprint": 1.5})",
              "arch.json: fingerprint must be a hexadecimal string such as "
              "\"0x101000016010407\" or a non-negative integer, found number");
  // Well formed, but not a family of fingerprint byte [63:56].
  expectError(R"({"fingerprint": "0x0a01000016010407"})",
              "arch.json: fingerprint type byte 0x0a is not a known DPU "
              "family");
  // A known family whose feature code cannot be decoded here.
  std::string error;
  EXPECT_FALSE(parse(R"({"fingerprint": "0x20200000010002a"})", error));
  EXPECT_TRUE(startsWith(error, "arch.json: fingerprint 0x20200000010002a "
                                "(DPUCAHX8H ISA2) is not in the catalog"))
      << error;
}

TEST(TargetTest, UnknownKey) {
  expectError(R"({"target": "DPUCZDX8G_ISA1_B4096", "foo": 1})",
              "arch.json: unknown key 'foo'");
  expectError(R"({"foo": 1})", "arch.json: unknown key 'foo'");
  expectError(R"({"target": "DPUCZDX8G_ISA1_B4096", "clock": 300})",
              "arch.json: unknown key 'clock' (did you mean 'clock_mhz'?)");
  expectError(R"({"target": "DPUCZDX8G_ISA1_B4096", "fingerprnt": "0x1"})",
              "arch.json: unknown key 'fingerprnt' (did you mean "
              "'fingerprint'?)");
  const std::string inlineStart =
      R"({"name": "X", "type": "DPUCZDX8G", "isa_version": 1,
          "pixel_parallel": 8, "input_channel_parallel": 16,
          "output_channel_parallel": 16, )";
  expectError(inlineStart + R"("pixel_paralel": 4})",
              "arch.json: unknown key 'pixel_paralel' (did you mean "
              "'pixel_parallel'?)");
  expectError(inlineStart + R"("conv": {"kernal": [1, 3]}})",
              "arch.json: unknown key 'conv.kernal' (did you mean "
              "'conv.kernel'?)");
  expectError(R"({"target": "DPUCZDX8G_ISA1_B4096", "pixel_parallel": 4})",
              "arch.json: key 'pixel_parallel' cannot be combined with "
              "'target'; only clock_mhz, ddr_bandwidth_gbps, source and "
              "comment can");
  expectError(R"({"target": "DPUCZDX8G_ISA1_B4096", "board": "zcu102"})",
              "arch.json: give only one of 'fingerprint', 'target' and "
              "'board'");
  expectError("{}", "arch.json: expected 'fingerprint', 'target', 'board', "
                    "or a full description with 'type' (see "
                    "docs/arch-json.md)");
}

TEST(TargetTest, InvalidJson) {
  // The '}' at byte 16 (1-based) is where a key was expected.
  expectError(R"({"target": "x",})",
              "arch.json: not valid JSON at byte 16 (line 1, column 16): "
              "syntax error while parsing object key - unexpected '}'; "
              "expected string literal");
  std::string error;
  EXPECT_FALSE(parse("{\n  \"target\": DPUCZDX8G\n}", error));
  EXPECT_TRUE(startsWith(error, "arch.json: not valid JSON at byte 15 (line "
                                "2, column 13): "))
      << error;
  expectError(R"({"target": "DPUCZDX8G_ISA1_B4096")",
              "arch.json: not valid JSON at end of input: syntax error while "
              "parsing object - unexpected end of input; expected '}'");
  expectError("", "arch.json: empty file: expected a JSON object");
  expectError(" \n", "arch.json: empty file: expected a JSON object");
  expectError(R"(["DPUCZDX8G_ISA1_B4096"])",
              "arch.json: expected a JSON object at the top level, found "
              "array");
}

TEST(TargetTest, ImpossibleParallelismIsRejected) {
  auto inlineWith = [](const std::string &pp) {
    return R"({"name": "X", "type": "DPUCZDX8G", "isa_version": 1,
               "pixel_parallel": )" +
           pp + R"(, "input_channel_parallel": 16,
               "output_channel_parallel": 16})";
  };
  expectError(inlineWith("0"), "arch.json: pixel_parallel must be > 0");
  expectError(inlineWith("-8"), "arch.json: pixel_parallel must be > 0");
  expectError(inlineWith("100000"),
              "arch.json: pixel_parallel must be <= 1024");
  expectError(inlineWith("18446744073709551615"),
              "arch.json: pixel_parallel must be <= 1024");
  expectError(inlineWith("8.5"),
              "arch.json: pixel_parallel must be an integer, found number");
  expectError(inlineWith("\"8\""),
              "arch.json: pixel_parallel must be an integer, found string");

  // Arch codes 12-15 in bits [3:0] have no (pixel, channel) parallelism.
  for (uint64_t arch : {12u, 15u}) {
    uint64_t fp = (kB4096 & ~0xFull) | arch;
    std::string error;
    EXPECT_FALSE(decodeFingerprint(fp, error));
    EXPECT_NE(error.find("arch code " + std::to_string(arch) +
                         " in bits [3:0] is not a DPUCZDX8G ISA1 "
                         "configuration"),
              std::string::npos)
        << error;
  }
  expectError(R"({"fingerprint": "0x10100001601040c"})",
              "arch.json: fingerprint 0x10100001601040c: arch code 12 in "
              "bits [3:0] is not a DPUCZDX8G ISA1 configuration (valid: "
              "0-11)");
  expectError(R"({"fingerprint": "0x101000016010007"})",
              "arch.json: fingerprint 0x101000016010007: ALU pixel "
              "parallelism in bits [11:8] is 0");
  expectError(R"({"fingerprint": "0x101000014010407"})",
              "arch.json: fingerprint 0x101000014010407: image bank group "
              "count in bits [25:24] is 0");
}

TEST(TargetTest, InlineFullDescription) {
  const char *text = R"({
    "name": "MY_DPU_B2048",
    "type": "DPUCZDX8G",
    "isa_version": 1,
    "pixel_parallel": 8,
    "input_channel_parallel": 16,
    "output_channel_parallel": 8,
    "alu_pixel_parallel": 2,
    "image_bank": {"groups": 3, "banks": 8, "width": 16, "depth": 4096},
    "weight_bank": {"banks": 8, "width": 16, "depth": 1024},
    "bias_bank": {"width": 8, "depth": 512},
    "conv": {"kernel": [1, 8], "stride": [1, 4],
             "nonlinear": ["relu", "relu_six", "hsigmoid"]},
    "alu": {"kernel": [1, 64], "stride": [1, 64], "pad": [0, 7],
            "types": ["max_pool", "avg_pool", "dwconv"]},
    "eltwise": {"types": ["add"], "nonlinear": []},
    "save_argmax": true,
    "clock_mhz": 250,
    "ddr_bandwidth_gbps": 12.8,
    "source": "a test"
  })";
  std::string error;
  std::optional<Target> t = parse(text, error);
  ASSERT_TRUE(t) << error;
  EXPECT_EQ(t->name, "MY_DPU_B2048");
  EXPECT_EQ(t->fingerprint, 0u); // none given
  EXPECT_EQ(t->peakOpsPerCycle(), 2 * 8 * 16 * 8);
  EXPECT_EQ(t->aluPixelParallel, 2);
  EXPECT_EQ(t->imageBankGroups, 3);
  EXPECT_EQ(t->imageBankDepth, 4096);
  EXPECT_EQ(t->imageBankBytes(), int64_t(3) * 8 * 16 * 4096);
  EXPECT_EQ(t->weightBanks, 8);
  EXPECT_EQ(t->weightBankDepth, 1024);
  EXPECT_EQ(t->biasBankWidth, 8);
  EXPECT_EQ(t->biasBankDepth, 512);
  EXPECT_EQ(t->aluWeightBankWidth, 16); // default: ICP bytes
  EXPECT_EQ(t->aluWeightBankDepth, 2048);
  EXPECT_EQ(t->convKernel, (Range{1, 8}));
  EXPECT_EQ(t->convStride, (Range{1, 4}));
  EXPECT_EQ(t->convNonlinear,
            (std::vector<std::string>{"relu", "relu6", "hsigmoid"}));
  EXPECT_EQ(t->aluPad, (Range{0, 7}));
  EXPECT_EQ(t->aluPadEnd, (Range{0, 255})); // default
  EXPECT_TRUE(t->supportsAluType("dwconv"));
  EXPECT_FALSE(t->supportsAluType("prelu"));
  EXPECT_EQ(t->eltwiseTypes, (std::vector<std::string>{"add"}));
  EXPECT_TRUE(t->eltwiseNonlinear.empty());
  EXPECT_TRUE(t->saveArgmax);
  EXPECT_TRUE(t->channelAugmentation); // default
  EXPECT_DOUBLE_EQ(t->clockMHz, 250);
  EXPECT_DOUBLE_EQ(t->ddrBandwidthGBps, 12.8);
  EXPECT_DOUBLE_EQ(t->peakGops(), 2048 * 250 / 1000.0);

  // toJson() writes the same schema back.
  std::optional<Target> again = parseArchJson(t->toJson(), "dump", error);
  ASSERT_TRUE(again) << error << "\n" << t->toJson();
  EXPECT_EQ(*again, *t);

  // Minimal inline form: only the required keys, defaults for the rest.
  std::optional<Target> minimal = parse(
      R"({"name": "N", "type": "DPUCZDX8G", "isa_version": 1,
          "pixel_parallel": 4, "input_channel_parallel": 8,
          "output_channel_parallel": 8})",
      error);
  ASSERT_TRUE(minimal) << error;
  EXPECT_EQ(minimal->aluPixelParallel, 2);
  EXPECT_EQ(minimal->imageBankGroups, 2);
  EXPECT_EQ(minimal->imageBanksPerGroup, 4);
  EXPECT_EQ(minimal->weightBanks, 8);

  expectError(R"({"type": "DPUCZDX8G", "isa_version": 1,
                  "pixel_parallel": 4, "input_channel_parallel": 8,
                  "output_channel_parallel": 8})",
              "arch.json: missing required key 'name'");
  expectError(R"({"name": "N", "type": "DPUCZDX8G", "isa_version": 1,
                  "pixel_parallel": 4, "input_channel_parallel": 8,
                  "output_channel_parallel": 8,
                  "conv": {"nonlinear": ["gelu"]}})",
              "arch.json: conv.nonlinear: unknown name 'gelu' (known: relu, "
              "prelu, leaky_relu, relu6, hsigmoid, hswish)");
  expectError(R"({"name": "N", "type": "DPUCZDX8G", "isa_version": 1,
                  "pixel_parallel": 4, "input_channel_parallel": 8,
                  "output_channel_parallel": 8,
                  "conv": {"kernel": [16, 1]}})",
              "arch.json: conv.kernel: min 16 is greater than max 1");
  expectError(R"({"name": "N", "type": "DPUCZDX8G", "isa_version": 1,
                  "fingerprint": "0x201000016010407",
                  "pixel_parallel": 4, "input_channel_parallel": 8,
                  "output_channel_parallel": 8})",
              "arch.json: fingerprint 0x201000016010407 has type byte 0x02 "
              "(DPUCAHX8H) but type is 'DPUCZDX8G'");
}

TEST(TargetTest, BoardForm) {
  std::string error;
  std::optional<Target> byName =
      parse(R"({"target": "DPUCZDX8G_ISA1_B4096"})", error);
  ASSERT_TRUE(byName) << error;
  for (const char *board : {"zcu102", "zcu104", "kv260", "KV260"}) {
    std::optional<Target> t =
        parse(std::string(R"({"board": ")") + board + "\"}", error);
    ASSERT_TRUE(t) << board << ": " << error;
    expectB4096(*t);
  }
  std::vector<std::string> boards = knownBoardNames();
  EXPECT_EQ(boards, (std::vector<std::string>{"kv260", "zcu102", "zcu104"}));
  expectError(R"({"board": "zcu106"})",
              "arch.json: unknown board 'zcu106' (known: kv260, zcu102, "
              "zcu104)");

  // Deployment facts can be added to any reference form.
  std::optional<Target> clocked = parse(
      R"({"board": "zcu104", "clock_mhz": 300, "ddr_bandwidth_gbps": 19.2})",
      error);
  ASSERT_TRUE(clocked) << error;
  EXPECT_DOUBLE_EQ(clocked->clockMHz, 300);
  EXPECT_DOUBLE_EQ(clocked->peakGops(), 4096 * 300 / 1000.0);
  EXPECT_DOUBLE_EQ(clocked->ddrBandwidthGBps, 19.2);
  expectError(R"({"board": "zcu104", "clock_mhz": -1})",
              "arch.json: clock_mhz must be >= 0 (0 means unknown)");
}

TEST(TargetTest, MissingAndRealFiles) {
  std::string error;
  std::string missing = tempPath("missing.json");
  EXPECT_FALSE(loadArchJson(missing, error));
  EXPECT_EQ(error, "cannot open '" + missing + "': No such file or directory");

  std::string good = tempPath("good.json");
  {
    std::ofstream out(good);
    out << "{\"fingerprint\": \"0x101000016010407\"}\n";
  }
  std::optional<Target> t = loadArchJson(good, error);
  ASSERT_TRUE(t) << error;
  expectB4096(*t);

  std::string bad = tempPath("bad.json");
  {
    std::ofstream out(bad);
    out << "{\"target\": \"nope\"}\n";
  }
  EXPECT_FALSE(loadArchJson(bad, error));
  EXPECT_TRUE(startsWith(error, bad + ": unknown target 'nope'")) << error;

  EXPECT_FALSE(loadArchJson("/tmp", error));
  EXPECT_EQ(error, "cannot read '/tmp': Is a directory");
  std::remove(good.c_str());
  std::remove(bad.c_str());
}

TEST(TargetTest, CatalogEntriesMatchTheirFingerprints) {
  std::string error;
  EXPECT_TRUE(verifyCatalog(error)) << error;
  std::vector<std::string> names = knownTargetNames();
  EXPECT_GE(names.size(), 8u);
  int64_t previousPeak = 0;
  for (const std::string &name : names) {
    std::optional<Target> t = lookupTarget(name, error);
    ASSERT_TRUE(t) << name << ": " << error;
    // The size in the name is the peak ops per cycle ("..._B4096").
    EXPECT_EQ(name.substr(name.rfind("_B") + 2),
              std::to_string(t->peakOpsPerCycle()));
    EXPECT_GT(t->peakOpsPerCycle(), previousPeak) << "catalog order";
    previousPeak = t->peakOpsPerCycle();

    // Every field agrees with what the fingerprint says.
    std::optional<Target> decoded = decodeFingerprint(t->fingerprint, error);
    ASSERT_TRUE(decoded) << name << ": " << error;
    decoded->name = t->name;
    EXPECT_EQ(*decoded, *t) << name << "\n"
                            << decoded->toJson() << "\n"
                            << t->toJson();

    // The fingerprint form finds this entry, and toJson() round-trips.
    std::optional<Target> byFingerprint =
        targetFromFingerprint(t->fingerprint, error);
    ASSERT_TRUE(byFingerprint) << error;
    EXPECT_EQ(byFingerprint->name, name);
    std::optional<Target> again = parseArchJson(t->toJson(), name, error);
    ASSERT_TRUE(again) << error;
    EXPECT_EQ(*again, *t);
  }
}

TEST(TargetTest, OperatorLimits) {
  std::string error;
  std::optional<Target> t = lookupTarget("DPUCZDX8G_ISA1_B4096", error);
  ASSERT_TRUE(t) << error;
  // kw * kh * ceil(ic / 16) <= 2048.
  EXPECT_TRUE(t->convWeightsFit(3, 3, 16 * 227)); // 9 * 227 = 2043
  EXPECT_TRUE(t->convWeightsFit(3, 3, 16 * 227 + 0));
  EXPECT_FALSE(t->convWeightsFit(3, 3, 16 * 227 + 1)); // 9 * 228 = 2052
  EXPECT_TRUE(t->convWeightsFit(16, 16, 16 * 8));      // 256 * 8 = 2048
  EXPECT_FALSE(t->convWeightsFit(16, 16, 16 * 8 + 1));
  EXPECT_FALSE(t->convWeightsFit(int64_t(1) << 40, int64_t(1) << 40, 1));
  EXPECT_FALSE(t->convWeightsFit(0, 3, 16));
  EXPECT_EQ(t->maxConvOutputChannels(), 256 * 16);
  EXPECT_TRUE(Target::padFitsKernel(1, 3));
  EXPECT_TRUE(Target::padFitsKernel(2, 3));
  EXPECT_FALSE(Target::padFitsKernel(3, 3));
  EXPECT_TRUE(Target::padFitsKernel(4, 3, 2));
  EXPECT_FALSE(Target::padFitsKernel(5, 3, 2));
  EXPECT_TRUE(t->convKernel.contains(16));
  EXPECT_FALSE(t->convKernel.contains(17));
  EXPECT_FALSE(t->convStride.contains(0));
  EXPECT_TRUE(t->aluPad.contains(0));
  EXPECT_EQ(t->imageBankBytes(), int64_t(2) * 8 * 16 * 2048);
  EXPECT_EQ(t->weightBankBytes(), int64_t(16) * 16 * 2048);
  EXPECT_NE(t->summary().find("peak 4096 ops/cycle"), std::string::npos);
}
