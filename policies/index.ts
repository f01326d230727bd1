import { PolicyPack } from '@pulumi/policy';
import { allPolicies } from './rules/index.js';

// Constructing a pack starts its gRPC server: this file does that and nothing else. The rules
// live in ./rules, where tests and the offline checker import them without a server.
new PolicyPack('aia-platform', { enforcementLevel: 'mandatory', policies: allPolicies });
