//===- ArtifactTest.cpp - Tests for the artifact header -------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#include "tern/Support/Artifact.h"

#include <gtest/gtest.h>

using namespace tern;

namespace {

ArtifactMetadata sample() {
  ArtifactMetadata m;
  m.triple = "x86_64-unknown-linux-gnu";
  m.cpu = "znver5";
  m.features = {"avx2", "avx512f"};
  m.weightsExternal = true;
  m.weightsFile = "model.so.weights";
  m.weightsBytes = 1234;
  m.weightsHash = 0x0123456789abcdefULL;
  m.functions.push_back({"decode", {{DType::I64, {1}}, {DType::F32, {-1, 2560}}},
                         {{DType::F32, {-1, 128256}}}});
  return m;
}

TEST(ArtifactMetadata, RoundTrips) {
  ArtifactMetadata m = sample(), back;
  std::string error;
  ASSERT_TRUE(ArtifactMetadata::parse(m.serialize(), back, error)) << error;
  EXPECT_EQ(back.triple, m.triple);
  EXPECT_EQ(back.cpu, "znver5");
  EXPECT_EQ(back.features, m.features);
  EXPECT_TRUE(back.weightsExternal);
  EXPECT_EQ(back.weightsFile, "model.so.weights");
  EXPECT_EQ(back.weightsBytes, 1234u);
  EXPECT_EQ(back.weightsHash, 0x0123456789abcdefULL);
  ASSERT_EQ(back.functions.size(), 1u);
  EXPECT_EQ(back.functions[0].name, "decode");
  ASSERT_EQ(back.functions[0].inputs.size(), 2u);
  EXPECT_EQ(back.functions[0].inputs[1].shape, (std::vector<int64_t>{-1, 2560}));
  EXPECT_EQ(back.functions[0].results[0].dtype, DType::F32);
}

TEST(ArtifactMetadata, ModelRecordsRoundTrip) {
  ArtifactMetadata m = sample(), back;
  ModelMetadata &model = m.model;
  model.architecture = "BitNetForCausalLM";
  model.layers = 30;
  model.kvHeads = 5;
  model.headDim = 128;
  model.context = 4096;
  model.vocab = 128256;
  model.bos = 128000;
  model.eos = 128001;
  model.stop = {128001, 128009};
  model.hasGeneration = true;
  model.temperature = 0.6f;
  model.topK = 40;
  model.topP = 0.9f;
  model.repeatPenalty = 1.1f;
  model.maxNewTokens = 256;
  model.chatFormat = "llama3";
  model.layerMacs = 2084044800;
  std::string error;
  ASSERT_TRUE(ArtifactMetadata::parse(m.serialize(), back, error)) << error;
  EXPECT_EQ(back.model.architecture, "BitNetForCausalLM");
  EXPECT_EQ(back.model.eos, 128001);
  EXPECT_EQ(back.model.stop, model.stop);
  EXPECT_TRUE(back.model.hasGeneration);
  EXPECT_EQ(back.model.temperature, 0.6f); // exact: floats round-trip
  EXPECT_EQ(back.model.topK, 40);
  EXPECT_EQ(back.model.topP, 0.9f);
  EXPECT_EQ(back.model.repeatPenalty, 1.1f);
  EXPECT_EQ(back.model.maxNewTokens, 256);
  EXPECT_EQ(back.model.chatFormat, "llama3");
  EXPECT_EQ(back.model.layerMacs, 2084044800);
}

TEST(ArtifactMetadata, SerializedForm) {
  ArtifactMetadata m;
  m.triple = "t";
  m.cpu = "c";
  m.weightsBytes = 4;
  m.weightsHash = 0xff;
  m.functions.push_back({"f", {{DType::I8, {-1, 3}}}, {{DType::I32, {}}}});
  EXPECT_EQ(m.serialize(), "tern-artifact 1\n"
                           "target t c\n"
                           "features -\n"
                           "weights embedded 4 00000000000000ff\n"
                           "function f 1 1\n"
                           "input i8 2 -1 3\n"
                           "result i32 0\n"
                           "end\n");
}

TEST(ArtifactMetadata, GpuRecordRoundTrips) {
  ArtifactMetadata m;
  m.triple = "x86_64-unknown-linux-gnu";
  m.cpu = "generic";
  m.gpuArch = "sm_90";
  std::string text = m.serialize(), error;
  EXPECT_NE(text.find("features -\ngpu cuda sm_90\nweights embedded"),
            std::string::npos)
      << text;
  ArtifactMetadata back;
  ASSERT_TRUE(ArtifactMetadata::parse(text, back, error)) << error;
  EXPECT_EQ(back.gpuArch, "sm_90");
  // A CPU artifact has no gpu record and reads back with no architecture.
  m.gpuArch.clear();
  EXPECT_EQ(m.serialize().find("gpu"), std::string::npos);
  ASSERT_TRUE(ArtifactMetadata::parse(m.serialize(), back, error)) << error;
  EXPECT_EQ(back.gpuArch, "");
}

struct BadHeader {
  const char *text;
  const char *message;
};

class RejectsHeader : public ::testing::TestWithParam<BadHeader> {};

TEST_P(RejectsHeader, WithMessage) {
  ArtifactMetadata m;
  std::string error;
  EXPECT_FALSE(ArtifactMetadata::parse(GetParam().text, m, error));
  EXPECT_NE(error.find(GetParam().message), std::string::npos) << error;
}

INSTANTIATE_TEST_SUITE_P(
    Headers, RejectsHeader,
    ::testing::Values(
        BadHeader{"", "empty header"},
        BadHeader{"ELF\n", "bad magic"},
        BadHeader{"tern-artifact 2\nend\n", "format version 2, but this runtime reads version 1"},
        BadHeader{"tern-artifact 1\ntarget x\n", "line 2: bad target record"},
        BadHeader{"tern-artifact 1\nweights embedded 4 12\nend\n", "bad weights record"},
        BadHeader{"tern-artifact 1\nweights inline 4 0000000000000000\nend\n",
                  "weights must be 'embedded' or 'external'"},
        BadHeader{"tern-artifact 1\nfunction f 1 0\nend\n",
                  "function 'f' has fewer inputs or results than declared"},
        BadHeader{"tern-artifact 1\nfunction f 0 0\ninput f32 0\nend\n",
                  "more inputs than declared"},
        BadHeader{"tern-artifact 1\nfunction f 1 0\ninput q8 0\nend\n",
                  "unknown element type 'q8'"},
        BadHeader{"tern-artifact 1\nfunction f 1 0\ninput f32 2 4\nend\n", "bad dimension"},
        BadHeader{"tern-artifact 1\ninput f32 0\nend\n", "input outside a function"},
        BadHeader{"tern-artifact 1\nfrobnicate\nend\n", "unknown record 'frobnicate'"},
        BadHeader{"tern-artifact 1\nstop\nend\n", "bad stop record"},
        BadHeader{"tern-artifact 1\nstop 1 -2\nend\n", "bad stop record"},
        BadHeader{"tern-artifact 1\ngeneration 0.7 40 1.5 1 0\nend\n",
                  "bad generation record"},
        BadHeader{"tern-artifact 1\nmacs -5\nend\n", "bad macs record"},
        BadHeader{"tern-artifact 1\nmacs 12 13\nend\n", "bad macs record"},
        BadHeader{"tern-artifact 1\ngeneration nan 40 1 1 0\nend\n",
                  "bad generation record"},
        BadHeader{"tern-artifact 1\nchat\nend\n", "bad chat record"},
        BadHeader{"tern-artifact 1\ngpu cuda\nend\n", "line 2: bad gpu record"},
        BadHeader{"tern-artifact 1\ngpu cuda sm_90 x\nend\n", "bad gpu record"},
        BadHeader{"tern-artifact 1\ngpu rocm gfx942\nend\n",
                  "unknown GPU kind 'rocm' (this runtime runs 'cuda')"},
        BadHeader{"tern-artifact 1\ngpu cuda sm_\nend\n",
                  "bad CUDA architecture 'sm_'"},
        BadHeader{"tern-artifact 1\ngpu cuda compute_90\nend\n",
                  "bad CUDA architecture 'compute_90'"},
        BadHeader{"tern-artifact 1\ngpu cuda sm_90a\nend\n",
                  "bad CUDA architecture 'sm_90a'"},
        BadHeader{"tern-artifact 1\ntarget a b\n", "truncated (no 'end' record)"}));

TEST(HashWeights, DependsOnEveryByteAndTheLength) {
  std::vector<char> data(1000, 7);
  uint64_t h = hashWeights(data.data(), data.size());
  EXPECT_EQ(h, hashWeights(data.data(), data.size()));
  data[999] = 8;
  EXPECT_NE(h, hashWeights(data.data(), data.size()));
  data[999] = 7;
  data[3] = 0;
  EXPECT_NE(h, hashWeights(data.data(), data.size()));
  EXPECT_NE(hashWeights(data.data(), 999), hashWeights(data.data(), 1000));
  EXPECT_NE(hashWeights(nullptr, 0), 0u);
}

} // namespace
