// A small OpenAI-compatible chat server for the AI Agent e2e: n8n's OpenAI Chat Model is pointed
// at it (the credential's Base URL). It plays a scripted model: the first turn calls the tool it
// is offered with the image URL found in the user's message, and the turn after the tool's answer
// sends a final message quoting the edited image's URL. Every request is kept for the checks.
// Chat Completions only, as JSON or as a stream (LangChain asks for either).
import http from 'node:http';

/** The first http(s) URL in a text. */
const firstUrl = (text) => String(text ?? '').match(/https?:\/\/\S+/)?.[0];

function textOf(content) {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => part?.text ?? '').join('');
  return '';
}

/** What the scripted model says next: a tool call, or the final answer after the tool's answer. */
function nextTurn(body) {
  const messages = body.messages ?? [];
  const toolAnswer = messages.findLast((m) => m.role === 'tool');
  if (toolAnswer) {
    const text = textOf(toolAnswer.content);
    const edited = text.match(/https?:\/\/[^"\s\\]+/)?.[0];
    return { content: edited ? `Here is the edited image: ${edited}` : `The tool answered: ${text}` };
  }
  const tool = body.tools?.[0]?.function;
  if (!tool) return { content: 'No tool was offered.' };
  const user = messages.findLast((m) => m.role === 'user');
  const args = {};
  for (const name of Object.keys(tool.parameters?.properties ?? {})) {
    args[name] = /url/i.test(name) ? firstUrl(textOf(user?.content)) ?? '' : 'Put a red hat on the person.';
  }
  return { toolCall: { id: 'call_edit_1', name: tool.name, arguments: JSON.stringify(args) } };
}

function completion(body, turn) {
  const message = turn.toolCall
    ? { role: 'assistant', content: null, tool_calls: [{ id: turn.toolCall.id, type: 'function', function: { name: turn.toolCall.name, arguments: turn.toolCall.arguments } }] }
    : { role: 'assistant', content: turn.content };
  return {
    id: `chatcmpl-e2e-${Date.now()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: body.model ?? 'gpt-4o-mini',
    choices: [{ index: 0, message, finish_reason: turn.toolCall ? 'tool_calls' : 'stop', logprobs: null }],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  };
}

function streamChunks(body, turn) {
  const base = { id: `chatcmpl-e2e-${Date.now()}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: body.model ?? 'gpt-4o-mini' };
  const delta = turn.toolCall
    ? { role: 'assistant', content: null, tool_calls: [{ index: 0, id: turn.toolCall.id, type: 'function', function: { name: turn.toolCall.name, arguments: turn.toolCall.arguments } }] }
    : { role: 'assistant', content: turn.content };
  return [
    { ...base, choices: [{ index: 0, delta, finish_reason: null }] },
    { ...base, choices: [{ index: 0, delta: {}, finish_reason: turn.toolCall ? 'tool_calls' : 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 } },
  ];
}

/** Starts the server on 127.0.0.1, port 0; `url` is the Base URL to give the credential (…/v1). */
export async function startFakeOpenAi() {
  const requests = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const path = new URL(req.url, 'http://x').pathname;
      let body = {};
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        // answered below as a bad request
      }
      requests.push({ method: req.method, path, body });
      if (req.method !== 'POST' || !path.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no route ${req.method} ${path}` } }));
        return;
      }
      const turn = nextTurn(body);
      if (body.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const chunk of streamChunks(body, turn)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
        res.end('data: [DONE]\n\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completion(body, turn)));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/v1`,
    requests,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}
