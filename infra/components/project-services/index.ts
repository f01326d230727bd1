export { ProjectServices, type ProjectServicesArgs, REQUIRED_APIS } from './project-services.js';
