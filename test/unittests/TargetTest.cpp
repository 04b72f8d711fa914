//===- TargetTest.cpp - Tests of arch.json parsing and the catalog --------===//

#include "vai/Target/Target.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <tuple>
#include <unistd.h>
#include <utility>

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

  // Vitis AI 3.x boards report the same DPU with save argmax (bit 30) set.
  // Decoded without the catalog it gets target_factory's generated name; the
  // fingerprint form resolves it to the catalog entry, with a note.
  const uint64_t withArgmax = fp | (uint64_t(1) << 30);
  EXPECT_EQ(withArgmax, 0x0101000056010407ull);
  std::optional<Target> v3decoded = decodeFingerprint(withArgmax, error);
  ASSERT_TRUE(v3decoded) << error;
  EXPECT_EQ(v3decoded->name, "DPUCZDX8G_ISA1_B4096_0101000056010407");
  std::optional<Target> v3 =
      parse(R"({"fingerprint": "0x101000056010407"})", error);
  ASSERT_TRUE(v3) << error;
  EXPECT_TRUE(v3->saveArgmax);
  EXPECT_EQ(v3->peakOpsPerCycle(), 4096);
  EXPECT_EQ(v3->name, "DPUCZDX8G_ISA1_B4096");

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
                                "DPUCZDX8G_ISA0_B4096_MAX_BG2, "
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
  EXPECT_GE(names.size(), 9u);
  int64_t previousPeak = 0;
  int previousIsa = -1;
  for (const std::string &name : names) {
    std::optional<Target> t = lookupTarget(name, error);
    ASSERT_TRUE(t) << name << ": " << error;
    // The size in the name is the peak ops per cycle ("..._B4096",
    // "..._B4096_MAX_BG2").
    std::string size = name.substr(name.find("_B") + 2);
    size = size.substr(0, size.find('_'));
    EXPECT_EQ(size, std::to_string(t->peakOpsPerCycle()));
    if (t->isaVersion != previousIsa)
      previousPeak = 0;
    EXPECT_GE(t->isaVersion, previousIsa) << "catalog order";
    EXPECT_GT(t->peakOpsPerCycle(), previousPeak) << "catalog order";
    previousPeak = t->peakOpsPerCycle();
    previousIsa = t->isaVersion;

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

// DPUCZDX8G ISA0 feature codes (create_target_v2.cpp layout). The expected
// fields are worked out by hand from the bits and agree with the engines of
// Vitis-AI's expired_targets/DPUCZDX8G_ISA0_*.prototxt:
//   B4096_MAX_BG2 0x0020f6014407: [3:0]=7 (PP 8, ICP=OCP 16), [11:8] PL_PP=4,
//     [15:12] DW_PP=4, [19:16] EL_PP=1, [27:24]=6 -> IMG_BG 2 + LD_AUGM,
//     [31:28]=f -> CV_LKRL, CV_RL6, PL_AVG, DW_RL6, [39:36]=2 -> PL_DSM only.
//   B4096_MIN 0x002022010107: arch 7, PL_PP 1, DW_PP 0 (no dwconv engine, no
//     DWCONVW bank), EL_PP 1, [27:24]=2 -> IMG_BG 2, no LD_AUGM,
//     [31:28]=2 -> CV_RL6 only, [39:36]=2 -> PL_DSM.
//   B512_MAX 0x0020f7012200: arch 0 (PP 4, ICP=OCP 8), PL_PP 2, DW_PP 2,
//     EL_PP 1, [27:24]=7 -> IMG_BG 3 + LD_AUGM, [31:28]=f, PL_DSM.
TEST(TargetTest, Isa0FingerprintsDecodeInFull) {
  std::string error;
  std::optional<Target> bg2 = decodeFingerprint(0x01000020f6014407ull, error);
  ASSERT_TRUE(bg2) << error;
  EXPECT_EQ(bg2->name, "DPUCZDX8G_ISA0_B4096_01000020F6014407");
  EXPECT_EQ(bg2->isaVersion, 0);
  EXPECT_FALSE(bg2->hasAlu);
  EXPECT_EQ(bg2->pixelParallel, 8);
  EXPECT_EQ(bg2->inputChannelParallel, 16);
  EXPECT_EQ(bg2->outputChannelParallel, 16);
  EXPECT_EQ(bg2->aluPixelParallel, 1); // eltwise PP on ISA0
  EXPECT_EQ(bg2->imageBankGroups, 2);
  EXPECT_TRUE(bg2->channelAugmentation);
  EXPECT_EQ(bg2->convNonlinear,
            (std::vector<std::string>{"relu", "leaky_relu", "relu6"}));
  EXPECT_FALSE(bg2->convStrideOutH);
  EXPECT_EQ(bg2->pool.pixelParallel, 4);
  EXPECT_EQ(bg2->pool.types,
            (std::vector<std::string>{"max", "avg", "max_reduce"}));
  EXPECT_EQ(bg2->pool.maxKernel, (Range{1, 8}));
  EXPECT_EQ(bg2->pool.avgKernel, (Range{2, 8}));
  EXPECT_EQ(bg2->pool.nonlinear, (std::vector<std::string>{"relu"}));
  EXPECT_EQ(bg2->dwconv.pixelParallel, 4);
  EXPECT_EQ(bg2->dwconv.kernel, (Range{1, 16}));
  EXPECT_EQ(bg2->dwconv.stride, (Range{1, 8}));
  EXPECT_EQ(bg2->dwconv.nonlinear, (std::vector<std::string>{"relu", "relu6"}));
  EXPECT_EQ(bg2->eltwiseTypes, (std::vector<std::string>{"add"}));
  EXPECT_EQ(bg2->aluWeightBankWidth, 16);
  EXPECT_FALSE(bg2->saveArgmax);
  // The ALU view is the intersection of both engines: kernel 2-8 (avg 2-8,
  // max 1-8, dwconv 1-16), stride 1-8, only ReLU.
  EXPECT_EQ(bg2->aluTypes,
            (std::vector<std::string>{"dwconv", "max_pool", "avg_pool",
                                      "max_reduce"}));
  EXPECT_EQ(bg2->aluKernel, (Range{2, 8}));
  EXPECT_EQ(bg2->aluStride, (Range{1, 8}));
  EXPECT_EQ(bg2->aluNonlinear, (std::vector<std::string>{"relu"}));

  // The DPU of resnet_v2_101_tf_DPUCZDX8G_ISA0.mc is a catalog entry.
  std::optional<Target> named =
      parse(R"({"target": "DPUCZDX8G_ISA0_B4096_MAX_BG2"})", error);
  ASSERT_TRUE(named) << error;
  EXPECT_EQ(named->fingerprint, 0x01000020f6014407ull);
  std::optional<Target> byFp =
      parse(R"({"fingerprint": "0x1000020f6014407"})", error);
  ASSERT_TRUE(byFp) << error;
  EXPECT_EQ(byFp->name, "DPUCZDX8G_ISA0_B4096_MAX_BG2");

  std::optional<Target> min = decodeFingerprint(0x0100002022010107ull, error);
  ASSERT_TRUE(min) << error;
  EXPECT_EQ(min->pool.pixelParallel, 1);
  EXPECT_EQ(min->pool.types, (std::vector<std::string>{"max", "max_reduce"}));
  EXPECT_FALSE(min->dwconv.present());
  EXPECT_EQ(min->aluWeightBankWidth, 0);
  EXPECT_FALSE(min->channelAugmentation);
  EXPECT_EQ(min->convNonlinear, (std::vector<std::string>{"relu", "relu6"}));
  EXPECT_FALSE(min->supportsAluType("dwconv"));
  EXPECT_FALSE(min->supportsAluType("avg_pool"));
  EXPECT_EQ(min->aluKernel, (Range{1, 8}));
  // toJson round-trips an ISA0 design without a depthwise engine too.
  std::optional<Target> again = parseArchJson(min->toJson(), "min", error);
  ASSERT_TRUE(again) << error << "\n" << min->toJson();
  EXPECT_EQ(*again, *min);

  std::optional<Target> b512 = decodeFingerprint(0x01000020f7012200ull, error);
  ASSERT_TRUE(b512) << error;
  EXPECT_EQ(b512->peakOpsPerCycle(), 512);
  EXPECT_EQ(b512->imageBankGroups, 3);
  EXPECT_EQ(b512->imageBanksPerGroup, 4);
  EXPECT_EQ(b512->pool.pixelParallel, 2);
  EXPECT_EQ(b512->dwconv.pixelParallel, 2);

  std::string text = describeFingerprint(0x01000020f6014407ull);
  for (const char *line :
       {"[11:8]   pool pixel parallel    4",
        "[15:12]  dwconv pixel parallel  4",
        "[19:16]  eltwise pixel parallel 1",
        "[25:24]  image bank groups      2",
        "[29]     conv ReLU6             yes",
        "[30]     average pool           yes",
        "[31]     dwconv ReLU6           yes",
        "[36]     eltwise multiply       no",
        "[37]     pool max_reduce        yes",
        "catalog entry          DPUCZDX8G_ISA0_B4096_MAX_BG2"})
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;

  // Arch code 11 exists only in ISA1.
  EXPECT_FALSE(decodeFingerprint(0x010000200101010bull, error));
  EXPECT_EQ(error, "fingerprint 0x10000200101010b: arch code 11 in bits [3:0] "
                   "is not a DPUCZDX8G ISA0 configuration (valid: 0-10)");
}

// Fingerprint byte [63:56] per Vitis-AI target_factory.cpp.
TEST(TargetTest, TypeByteNamesEveryFamily) {
  const std::pair<uint8_t, const char *> families[] = {
      {1, "DPUCZDX8G"}, {2, "DPUCAHX8H"}, {3, "DPUCAHX8L"},
      {4, "DPUCZDI4G"}, {5, "DPUCVDX8H"}, {6, "DPUCVDX8G"},
      {7, "DPUCADF8H"}, {8, "IPU_PHX"},   {9, "DPUCV2DX8G"}};
  for (const auto &[code, name] : families) {
    EXPECT_EQ(familyNameOfTypeByte(code), name);
    if (code == 1)
      continue;
    uint64_t fp = (uint64_t(code) << 56) | (uint64_t(1) << 48) | 0x1234;
    std::string text = describeFingerprint(fp);
    EXPECT_NE(text.find(std::string("decoding of family ") + name +
                        "'s feature code is not supported"),
              std::string::npos)
        << text;
    std::string error;
    EXPECT_FALSE(decodeFingerprint(fp, error));
    EXPECT_NE(error.find(std::string("decoding of family ") + name +
                         "'s feature code is not supported"),
              std::string::npos)
        << error;
  }
  EXPECT_EQ(familyNameOfTypeByte(0), "");
  EXPECT_EQ(familyNameOfTypeByte(10), "");
}

TEST(TargetTest, VitisAi3FingerprintResolvesToTheCatalog) {
  // pointpillars_DPUCZDX8G.xmodel (xcompiler 3.0) has dpu_fingerprint
  // 72339070457545735 = 0x101000056010407 and dpu_name DPUCZDX8G_ISA1_B4096.
  std::string error;
  std::optional<Target> t = targetFromFingerprint(72339070457545735ull, error);
  ASSERT_TRUE(t) << error;
  EXPECT_EQ(t->name, "DPUCZDX8G_ISA1_B4096");
  EXPECT_EQ(t->fingerprint, 0x101000056010407ull);
  EXPECT_TRUE(t->saveArgmax);
  EXPECT_NE(t->note.find("Vitis AI 3.x code of DPUCZDX8G_ISA1_B4096"),
            std::string::npos)
      << t->note;
  EXPECT_NE(t->summary().find("note: "), std::string::npos);
  // Everything but the fingerprint and argmax equals the 2.5 entry.
  std::optional<Target> v25 = lookupTarget("DPUCZDX8G_ISA1_B4096", error);
  ASSERT_TRUE(v25);
  Target cmp = *t;
  cmp.fingerprint = v25->fingerprint;
  cmp.saveArgmax = false;
  EXPECT_EQ(cmp, *v25);
  EXPECT_NE(describeFingerprint(0x101000056010407ull)
                .find("DPUCZDX8G_ISA1_B4096 (Vitis AI 3.x code: "
                      "0x101000016010407 + save argmax)"),
            std::string::npos);
  // Every catalog entry: 3.x code = 2.5 code | bit 30.
  for (const std::string &name : knownTargetNames()) {
    std::optional<Target> e = lookupTarget(name, error);
    if (e->isaVersion != 1)
      continue;
    std::optional<Target> alias =
        targetFromFingerprint(e->fingerprint | (uint64_t(1) << 30), error);
    ASSERT_TRUE(alias) << error;
    EXPECT_EQ(alias->name, name);
  }
}

TEST(TargetTest, StrideOutHFollowsWriteParallelism) {
  // create_target_DPUCZDX8G_ISA1.cpp: 1-4 when WP == 1 or PP/WP >= 4, else
  // 1-PP/WP. B4096 (PP 8): WP 1 -> 4, WP 2 -> 8/2 = 4, WP 4 -> 8/4 = 2.
  std::string error;
  std::optional<Target> b4096 = lookupTarget("DPUCZDX8G_ISA1_B4096", error);
  ASSERT_TRUE(b4096);
  EXPECT_EQ(b4096->convStrideOutH, (Range{1, 4}));
  EXPECT_EQ(b4096->aluStrideOutH, (Range{1, 4}));
  // conv WP log2 1 ([33:32]), ALU WP log2 2 ([35:34]).
  std::optional<Target> wp = decodeFingerprint(kB4096 | 0x900000000ull, error);
  ASSERT_TRUE(wp) << error;
  EXPECT_EQ(wp->convWriteParallel, 2);
  EXPECT_EQ(wp->aluWriteParallel, 4);
  EXPECT_EQ(wp->convStrideOutH, (Range{1, 4}));
  EXPECT_EQ(wp->aluStrideOutH, (Range{1, 2}));
  std::optional<Target> again = parseArchJson(wp->toJson(), "wp", error);
  ASSERT_TRUE(again) << error;
  EXPECT_EQ(*again, *wp);
}

TEST(TargetTest, BoardsCarryClockAndCores) {
  // Vitis AI 2.5 model_zoo/README.md: ZCU102 3 x B4096 @ 281 MHz, ZCU104
  // 2 x B4096 @ 300 MHz, KV260 1 x B4096F @ 300 MHz.
  const std::tuple<const char *, int, double> boards[] = {
      {"zcu102", 3, 281}, {"zcu104", 2, 300}, {"kv260", 1, 300}};
  for (const auto &[name, cores, clock] : boards) {
    std::string error;
    std::optional<Target> t = lookupBoard(name, error);
    ASSERT_TRUE(t) << error;
    EXPECT_EQ(t->name, "DPUCZDX8G_ISA1_B4096");
    EXPECT_EQ(t->board, name);
    EXPECT_EQ(t->boardCores, cores);
    EXPECT_DOUBLE_EQ(t->clockMHz, clock);
    EXPECT_DOUBLE_EQ(t->peakGops(), 4096 * clock / 1000);
  }
  std::string error;
  std::optional<Target> zcu102 = lookupBoard("zcu102", error);
  EXPECT_NE(zcu102->summary().find(
                "board zcu102: 3 x DPUCZDX8G_ISA1_B4096 at 281 MHz"),
            std::string::npos)
      << zcu102->summary();
}

TEST(TargetTest, InlineIsa0Engines) {
  std::string error;
  // A design without an ALU needs pool or dwconv, and takes no 'alu'.
  expectError(R"({"name": "X", "type": "DPUCZDX8G", "isa_version": 0,
      "pixel_parallel": 8, "input_channel_parallel": 16,
      "output_channel_parallel": 16, "has_alu": false})",
              "arch.json: \"has_alu\": false needs a 'pool' or 'dwconv' "
              "engine");
  expectError(R"({"name": "X", "type": "DPUCZDX8G", "isa_version": 1,
      "pixel_parallel": 8, "input_channel_parallel": 16,
      "output_channel_parallel": 16, "pool": {"pixel_parallel": 2}})",
              "arch.json: 'pool' engines are only for designs without an ALU "
              "(\"has_alu\": false); an ALU design pools and runs depthwise "
              "convs on 'alu'");
  expectError(R"({"name": "X", "type": "DPUCZDX8G", "isa_version": 0,
      "pixel_parallel": 8, "input_channel_parallel": 16,
      "output_channel_parallel": 16, "has_alu": false,
      "pool": {"pixel_parallel": 0}})",
              "arch.json: pool.pixel_parallel must be > 0");
  expectError(R"({"name": "X", "type": "DPUCZDX8G", "isa_version": 0,
      "pixel_parallel": 8, "input_channel_parallel": 16,
      "output_channel_parallel": 16, "has_alu": false,
      "pool": {"pixel_parallel": 2, "types": ["min"]}})",
              "arch.json: pool.types: unknown name 'min' (known: max, avg, "
              "max_reduce)");
  // Only a max pool engine: the ALU view allows max pooling up to 8x8.
  std::optional<Target> t = parse(R"({"name": "X", "type": "DPUCZDX8G",
      "isa_version": 0, "pixel_parallel": 8, "input_channel_parallel": 16,
      "output_channel_parallel": 16, "has_alu": false,
      "pool": {"pixel_parallel": 2}})",
                                  error);
  ASSERT_TRUE(t) << error;
  EXPECT_EQ(t->aluTypes, (std::vector<std::string>{"max_pool"}));
  EXPECT_EQ(t->aluKernel, (Range{1, 8}));
  EXPECT_FALSE(t->convStrideOutH);
}
