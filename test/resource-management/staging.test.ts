import { resourceManagementSuite } from './plan-checks.js';

resourceManagementSuite('staging');
