terraform {
  required_version = ">= 1.7.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }

  backend "s3" {
    bucket         = "acme-shop-terraform-state"
    key            = "shop/terraform.tfstate"
    region         = "eu-west-1"
    dynamodb_table = "acme-shop-terraform-locks"
    encrypt        = true
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project     = "acme-shop"
      Environment = var.environment
      ManagedBy   = "terraform"
      Repository  = "acme-shop"
    }
  }
}

# Secondary region, used only for backup copies and the manual regional failover.
provider "aws" {
  alias  = "dr"
  region = var.dr_region

  default_tags {
    tags = {
      Project     = "acme-shop"
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}
