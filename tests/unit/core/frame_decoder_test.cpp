#include <crun/core/frame_decoder.hpp>

#include "support/error_of.hpp"

#include <crun/core/error.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace crun::core {
namespace {

std::string frame(unsigned char type, std::string_view payload)
{
  const auto size = static_cast<std::uint32_t>(payload.size());
  std::string bytes{static_cast<char>(type),
                    0,
                    0,
                    0,
                    static_cast<char>(size >> 24U),
                    static_cast<char>(size >> 16U),
                    static_cast<char>(size >> 8U),
                    static_cast<char>(size)};
  bytes += payload;
  return bytes;
}

// Collects the output per stream, and every piece as delivered.
struct Collector {
  std::string out;
  std::string err;
  std::string engine_error;
  std::vector<std::pair<Stream, std::string>> pieces;

  FrameSink sink()
  {
    return [this](Stream stream, std::string_view piece) {
      pieces.emplace_back(stream, std::string(piece));
      switch (stream) {
      case Stream::out: out += piece; break;
      case Stream::err: err += piece; break;
      case Stream::engine_error: engine_error += piece; break;
      }
    };
  }
};

std::string protocol_message(const std::function<void()>& action)
{
  auto error = test::error_of(action);
  EXPECT_EQ(error.code(), Errc::protocol);
  return error.message();
}

TEST(FrameDecoder, DemultiplexesStdoutAndStderr)
{
  FrameDecoder decoder;
  Collector collector;
  decoder.feed(frame(1, "hello ") + frame(2, "oops\n") + frame(1, "world\n"), collector.sink());
  EXPECT_EQ(collector.out, "hello world\n");
  EXPECT_EQ(collector.err, "oops\n");
  ASSERT_EQ(collector.pieces.size(), 3U);
  EXPECT_EQ(collector.pieces[1], (std::pair<Stream, std::string>{Stream::err, "oops\n"}));
  EXPECT_TRUE(decoder.at_frame_boundary());
  EXPECT_NO_THROW(decoder.finish());
}

TEST(FrameDecoder, StdinEchoGoesToStdout)
{
  FrameDecoder decoder;
  Collector collector;
  decoder.feed(frame(0, "typed\n"), collector.sink());
  EXPECT_EQ(collector.out, "typed\n");
}

TEST(FrameDecoder, TypeThreeIsTheEngineErrorChannel)
{
  FrameDecoder decoder;
  Collector collector;
  decoder.feed(frame(3, "container not running"), collector.sink());
  EXPECT_EQ(collector.engine_error, "container not running");
  EXPECT_TRUE(collector.out.empty());
}

TEST(FrameDecoder, HeadersSplitAtEveryByteOffset)
{
  const std::string stream = frame(1, "abc") + frame(2, "de") + frame(1, "") + frame(1, "f");
  for (std::size_t first = 0; first <= stream.size(); ++first) {
    for (std::size_t second = first; second <= stream.size(); ++second) {
      SCOPED_TRACE(testing::Message() << "splits at " << first << " and " << second);
      FrameDecoder decoder;
      Collector collector;
      const std::string_view view = stream;
      decoder.feed(view.substr(0, first), collector.sink());
      decoder.feed(view.substr(first, second - first), collector.sink());
      decoder.feed(view.substr(second), collector.sink());
      EXPECT_EQ(collector.out, "abcf");
      EXPECT_EQ(collector.err, "de");
      EXPECT_TRUE(decoder.at_frame_boundary());
      for (const auto& piece : collector.pieces) {
        EXPECT_FALSE(piece.second.empty());
      }
    }
  }
}

TEST(FrameDecoder, ByteAtATime)
{
  const std::string stream = frame(2, "err") + frame(1, "out");
  FrameDecoder decoder;
  Collector collector;
  for (const char byte : stream) {
    decoder.feed(std::string_view(&byte, 1), collector.sink());
  }
  EXPECT_EQ(collector.err, "err");
  EXPECT_EQ(collector.out, "out");
  EXPECT_EQ(collector.pieces.size(), 6U);
}

TEST(FrameDecoder, EmptyFrameDeliversNothing)
{
  FrameDecoder decoder;
  Collector collector;
  decoder.feed(frame(1, ""), collector.sink());
  EXPECT_TRUE(collector.pieces.empty());
  EXPECT_TRUE(decoder.at_frame_boundary());
}

// A 1 GiB frame is handed on piece by piece as views of the fed bytes: the
// decoder holds nothing but its 8-byte header.
TEST(FrameDecoder, GibibyteFrameIsDeliveredInPieces)
{
  constexpr std::uint32_t k_size = 1U << 30U;
  const std::string chunk(1U << 20U, 'z');
  FrameDecoder decoder;
  std::uint64_t delivered = 0;
  std::size_t pieces = 0;
  std::size_t largest = 0;
  const FrameSink sink = [&](Stream stream, std::string_view piece) {
    EXPECT_EQ(stream, Stream::out);
    delivered += piece.size();
    largest = std::max(largest, piece.size());
    ++pieces;
  };
  const std::string header{1, 0, 0, 0, 0x40, 0, 0, 0};
  // The header arrives with the first bytes of payload, as after a hijack.
  decoder.feed(header + chunk.substr(0, 100), sink);
  std::uint64_t fed = 100;
  while (fed + chunk.size() <= k_size) {
    decoder.feed(chunk, sink);
    fed += chunk.size();
    EXPECT_FALSE(decoder.at_frame_boundary());
  }
  decoder.feed(std::string_view(chunk).substr(0, k_size - fed), sink);
  EXPECT_EQ(delivered, k_size);
  EXPECT_EQ(largest, chunk.size());
  EXPECT_EQ(pieces, 1025U);
  EXPECT_TRUE(decoder.at_frame_boundary());
}

TEST(FrameDecoder, UnknownStreamTypeIsProtocolError)
{
  FrameDecoder decoder;
  Collector collector;
  // What a Tty=true stream starting with "hello" looks like to this decoder.
  const std::string message = protocol_message([&] { decoder.feed("hello wo", collector.sink()); });
  EXPECT_EQ(message, "attach stream frame has unknown stream type 104 (header 68 65 6c 6c 6f 20 "
                     "77 6f), as when the raw stream of a Tty=true container is read as "
                     "multiplexed");
  EXPECT_TRUE(collector.pieces.empty());
}

TEST(FrameDecoder, UnknownTypeAfterGoodFramesKeepsTheirOutput)
{
  FrameDecoder decoder;
  Collector collector;
  const std::string stream = frame(1, "ok") + frame(4, "bad");
  EXPECT_FALSE(protocol_message([&] { decoder.feed(stream, collector.sink()); }).empty());
  EXPECT_EQ(collector.out, "ok");
}

TEST(FrameDecoder, EofInsideAHeaderIsTruncation)
{
  FrameDecoder decoder;
  Collector collector;
  decoder.feed(frame(1, "x") + std::string{2, 0, 0}, collector.sink());
  EXPECT_FALSE(decoder.at_frame_boundary());
  EXPECT_EQ(protocol_message([&] { decoder.finish(); }),
            "attach stream ended inside a frame header (3 of 8 bytes: 02 00 00)");
}

TEST(FrameDecoder, EofInsideAPayloadIsTruncation)
{
  FrameDecoder decoder;
  Collector collector;
  const std::string whole = frame(2, "0123456789");
  decoder.feed(std::string_view(whole).substr(0, 12), collector.sink());
  EXPECT_EQ(collector.err, "0123");
  EXPECT_FALSE(decoder.at_frame_boundary());
  EXPECT_EQ(protocol_message([&] { decoder.finish(); }),
            "attach stream ended inside a stderr frame, 6 bytes short; output is truncated");
}

TEST(FrameDecoder, SinkExceptionsPropagate)
{
  FrameDecoder decoder;
  EXPECT_THROW(
    decoder.feed(frame(1, "x"), [](Stream, std::string_view) { throw std::runtime_error("full"); }),
    std::runtime_error);
  EXPECT_TRUE(decoder.at_frame_boundary());
}

// Real captures (tests/fixtures/{docker,podman}/README.md): the same output
// written by a Tty=false container, fed in every awkward chunk size.
TEST(FrameDecoder, DecodesCapturedAttachStreams)
{
  for (const char* name : {"/docker/attach-multiplexed.bin", "/podman/attach-multiplexed.bin"}) {
    SCOPED_TRACE(name);
    std::ifstream file(std::string(CRUN_TEST_FIXTURES) + name, std::ios::binary);
    ASSERT_TRUE(file) << "missing fixture";
    const std::string stream((std::istreambuf_iterator<char>(file)),
                             std::istreambuf_iterator<char>());
    for (std::size_t chunk = 1; chunk <= stream.size(); ++chunk) {
      SCOPED_TRACE(chunk);
      FrameDecoder decoder;
      Collector collector;
      for (std::size_t at = 0; at < stream.size(); at += chunk) {
        decoder.feed(std::string_view(stream).substr(at, chunk), collector.sink());
      }
      EXPECT_TRUE(decoder.at_frame_boundary());
      EXPECT_EQ(collector.out, "out 1\nout 2\n");
      EXPECT_EQ(collector.err, "err 1\nerr 2\n");
    }
  }
}

} // namespace
} // namespace crun::core
