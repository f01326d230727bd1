import { describe, expect, it } from 'vitest';
import { llmEndpointEgress } from './egress.js';

const tcp = (port: number) => [{ protocol: 'TCP', port }];

describe("egress to the stack's OpenAI-compatible server", () => {
  it("opens a cluster Service's namespace on the URL's port, with or without the cluster domain", () => {
    const expected = {
      to: [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'inference' } },
          podSelector: { matchLabels: {} },
        },
      ],
      ports: tcp(8000),
    };
    expect(llmEndpointEgress('http://vllm.inference.svc.cluster.local:8000/v1')).toEqual(expected);
    expect(llmEndpointEgress('http://vllm.inference.svc:8000/v1')).toEqual(expected);
    expect(llmEndpointEgress('http://ollama.inference.svc/v1')?.ports).toEqual(tcp(80));
  });

  it('opens an address (a server in the VPC, say) alone, on its port', () => {
    expect(llmEndpointEgress('http://10.10.0.5:8080/v1')).toEqual({
      to: [{ ipBlock: { cidr: '10.10.0.5/32' } }],
      ports: tcp(8080),
    });
    expect(llmEndpointEgress('https://[fd00::5]/v1')).toEqual({
      to: [{ ipBlock: { cidr: 'fd00::5/128' } }],
      ports: tcp(443),
    });
  });

  it('opens public addresses on another port than 443 for any other name', () => {
    expect(llmEndpointEgress('http://llm.example.com:8000/v1')).toEqual({
      to: [
        {
          ipBlock: {
            cidr: '0.0.0.0/0',
            except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'],
          },
        },
      ],
      ports: tcp(8000),
    });
  });

  it('adds nothing where the services may already go: HTTPS on the internet, their own namespace', () => {
    expect(llmEndpointEgress('https://llm.example.com/v1')).toBeUndefined();
    expect(llmEndpointEgress('https://llm.example.com:443/v1')).toBeUndefined();
    expect(llmEndpointEgress('http://vllm:8000/v1')).toBeUndefined();
  });
});
