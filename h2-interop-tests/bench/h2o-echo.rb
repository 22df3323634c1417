# POST /echo for h2o (mruby.handler-file in run.sh's h2o configuration): answers 200 with the
# request body, as the other peers do. h2o 2.2 reads the whole request body before it calls a
# mruby handler (env["rack.input"] is that buffer), so the echo streams out of it: the body
# object yields 16 KiB pieces to h2o, which sends each as it comes, rather than one joined copy.
class EchoBody
  PIECE = 16384

  def initialize(input)
    @input = input
  end

  def each
    while (piece = @input.read(PIECE))
      yield piece
    end
  end
end

Proc.new do |env|
  if env["REQUEST_METHOD"] != "POST"
    [405, { "allow" => "POST" }, []]
  else
    headers = { "content-type" => "application/octet-stream" }
    length = env["CONTENT_LENGTH"]
    headers["content-length"] = length if length
    input = env["rack.input"]
    [200, headers, input ? EchoBody.new(input) : []]
  end
end
