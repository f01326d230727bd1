export {
  API_OF_RESOURCE_TYPE,
  apiOfResourceType,
  OPTIONAL_APIS,
  PREREQUISITE_APIS,
  ProjectServices,
  type ProjectServicesArgs,
  REQUIRED_APIS,
} from './project-services.js';
